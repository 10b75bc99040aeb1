import { Types, type mongo } from 'mongoose';
import { pack, unpack } from '../shared/packed-json';
import { duplicatesOnly, isDuplicateKey } from '../shared/mongo-errors';
import { versionFilter } from '../db/capabilities';
import { historyChunkId, historyEntryId, Project, ProjectHistory, ProjectHistoryChunks, type LatestEntry, type ProjectDoc, type StoredHistoryEntry } from './project.model';

/**
 * How projects and their history entries are kept in the database: a few plain
 * fields a person or a tool may look at (id, organisation, stage, version,
 * name) and the rest packed as one Extended JSON string (README, "Storage and
 * speed"). FerretDB 1.x spends its time per value it decodes and re-encodes,
 * not per byte: packed, a project is read in a sixth of the time and updated in
 * half (measured: a full scan 0.16 against 1.46 ms of its CPU per project).
 * Everything here is the only code that sees the stored shape.
 */
export interface StoredProject {
  _id: Types.ObjectId;
  orgId: Types.ObjectId;
  channel: string;
  name: string;
  stage: string;
  version: number;
  updatedAt: Date;
  /** The whole project but its `_id`, as relaxed Extended JSON (dates and ids keep their types). */
  state: string;
}

export interface PackedHistoryEntry {
  _id: string;
  projectId: Types.ObjectId;
  version: number;
  at: Date;
  event: string;
  /** The whole entry, as relaxed Extended JSON. */
  entry: string;
}

export function encodeProject({ _id, ...project }: ProjectDoc): StoredProject {
  return { _id, orgId: project.orgId, channel: project.channel, name: project.name, stage: project.stage, version: project.version, updatedAt: project.updatedAt, state: pack(project) };
}

export const decodeProject = (stored: StoredProject): ProjectDoc => ({ _id: stored._id, ...unpack<Omit<ProjectDoc, '_id'>>(stored.state) });

export const encodeHistoryEntry = (projectId: string, entry: LatestEntry): PackedHistoryEntry => ({
  _id: historyEntryId(projectId, entry.version),
  projectId: new Types.ObjectId(projectId),
  version: entry.version,
  at: entry.at,
  event: entry.event,
  entry: pack(entry),
});

export const decodeHistoryEntry = (stored: PackedHistoryEntry): StoredHistoryEntry => ({
  _id: stored._id,
  projectId: stored.projectId,
  ...unpack<LatestEntry>(stored.entry),
});

/**
 * Sixteen consecutive entries of one project's history, packed as one value: a
 * copy of what `project_history` holds, written once the sixteen are appended,
 * so that a project's whole history is read in a few look-ups instead of one
 * per version (FerretDB answers a look-up of many keys by a scan). Derived:
 * `npm run check` compares every chunk with the entries, `--repair` drops a
 * wrong one, and a missing one is written again when its entries are read.
 */
export interface PackedHistoryChunk {
  _id: string;
  projectId: Types.ObjectId;
  chunk: number;
  /** The chunk's entries, oldest first, as relaxed Extended JSON. */
  entries: string;
}

export const encodeHistoryChunk = (projectId: string, chunk: number, entries: readonly LatestEntry[]): PackedHistoryChunk => ({
  _id: historyChunkId(projectId, chunk),
  projectId: new Types.ObjectId(projectId),
  chunk,
  entries: pack(entries),
});

const decodeHistoryChunk = (stored: PackedHistoryChunk): StoredHistoryEntry[] =>
  unpack<LatestEntry[]>(stored.entries).map((entry) => ({ _id: historyEntryId(stored.projectId.toString(), entry.version), projectId: stored.projectId, ...entry }));

const projectsCollection = () => Project.collection as unknown as mongo.Collection<StoredProject>;
const historyCollection = () => ProjectHistory.collection as unknown as mongo.Collection<PackedHistoryEntry>;
const chunksCollection = () => ProjectHistoryChunks.collection as unknown as mongo.Collection<PackedHistoryChunk>;

export const projectStore = {
  async find(id: Types.ObjectId): Promise<ProjectDoc | undefined> {
    const stored = await projectsCollection().findOne({ _id: id });
    return stored ? decodeProject(stored) : undefined;
  },

  async insert(project: ProjectDoc): Promise<void> {
    await projectsCollection().insertOne(encodeProject(project));
  },

  /** Inserts new projects in one unordered write; the positions already stored (a write repeated after a stop) come back, any other failure is thrown. */
  async insertMany(projects: ProjectDoc[]): Promise<Set<number>> {
    if (!projects.length) return new Set();
    try {
      await projectsCollection().insertMany(projects.map(encodeProject), { ordered: false });
      return new Set();
    } catch (error) {
      const there = duplicatesOnly(error, projects.length);
      if (!there) throw error;
      return there;
    }
  },

  /** Writes the project in place of the version it replaces (or whatever is stored, when none is named); false when that version is no longer there. */
  async replace(project: ProjectDoc, replacing: number | undefined): Promise<boolean> {
    const filter = replacing === undefined ? { _id: project._id } : versionFilter(project._id, replacing);
    const { matchedCount } = await projectsCollection().replaceOne(filter, encodeProject(project));
    return matchedCount === 1;
  },

  /** Every project as stored; a project in the layout before this one comes as it is (layout-upgrade.ts). */
  async *scan(): AsyncGenerator<ProjectDoc | Record<string, unknown>> {
    for await (const stored of projectsCollection().find({}, { batchSize: 2000 })) {
      yield typeof stored.state === 'string' ? decodeProject(stored) : (stored as unknown as Record<string, unknown>);
    }
  },
};

export const historyStore = {
  async find(projectId: string, version: number): Promise<StoredHistoryEntry | undefined> {
    const stored = await historyCollection().findOne({ _id: historyEntryId(projectId, version) });
    return stored ? decodeHistoryEntry(stored) : undefined;
  },

  async insertOne(projectId: string, entry: LatestEntry): Promise<void> {
    await historyCollection().insertOne(encodeHistoryEntry(projectId, entry));
  },

  async insertMany(entries: PackedHistoryEntry[]): Promise<void> {
    await historyCollection().insertMany(entries, { ordered: false });
  },

  /** Every entry of every project, in the order stored. */
  async *scan(): AsyncGenerator<StoredHistoryEntry> {
    for await (const stored of historyCollection().find({}, { batchSize: 5000 })) yield decodeHistoryEntry(stored);
  },
};

export const historyChunkStore = {
  async find(projectId: string, chunk: number): Promise<StoredHistoryEntry[] | undefined> {
    const stored = await chunksCollection().findOne({ _id: historyChunkId(projectId, chunk) });
    return stored ? decodeHistoryChunk(stored) : undefined;
  },

  /** Writes a chunk; one already there (written by a read at the same time) is left as it is. */
  async insert(projectId: string, chunk: number, entries: readonly LatestEntry[]): Promise<void> {
    await chunksCollection()
      .insertOne(encodeHistoryChunk(projectId, chunk, entries))
      .catch((error: unknown) => {
        if (!isDuplicateKey(error)) throw error;
      });
  },

  async insertMany(chunks: PackedHistoryChunk[]): Promise<void> {
    await chunksCollection().insertMany(chunks, { ordered: false });
  },

  async remove(id: string): Promise<void> {
    await chunksCollection().deleteOne({ _id: id });
  },

  /** Every chunk, with its entries, in the order stored. */
  async *scan(): AsyncGenerator<{ id: string; projectId: string; chunk: number; entries: StoredHistoryEntry[] }> {
    for await (const stored of chunksCollection().find({}, { batchSize: 500 })) {
      yield { id: stored._id, projectId: stored.projectId.toString(), chunk: stored.chunk, entries: decodeHistoryChunk(stored) };
    }
  },
};
