import { LRUCache } from 'lru-cache';
import { isValidObjectId, Types } from 'mongoose';
import { messages } from '../../workflows/messages';
import { advanceSchedule, emptySchedule } from '../../workflows/schedule';
import { chinaDay } from '../../workflows/working-days';
import { advanceTrail, emptyTrail, trailOf, type Trail, type TrailEntry } from '../../workflows/trail';
import { advanceResponsibility } from '../../workflows/responsibility';
import { notFound, staleVersion } from '../shared/problem';
import { KeyedLock } from '../shared/keyed-lock';
import { logger } from '../shared/logger';
import { catalogue, rowOf, type ProjectRow } from './catalogue';
import { appendLater, ensureAppended, forgetAppended } from './history-appender';
import { forgetStoredEntries, knownEntry, rememberStored } from './history-cache';
import { announceCommit } from './commits';
import { forgetDocumentRecords } from './document-records';
import { hasOldLayout, upgradeLayout } from './layout-upgrade';
import { chunkOfVersion, HISTORY_CHUNK, type HistoryEntry, type LatestEntry, type ProjectDoc, type StoredHistoryEntry } from './project.model';
import { historyChunkStore, historyStore, projectStore } from './project-store';

/**
 * Where projects are kept, and the one way they change (README, "Storage and speed").
 *
 * A change is one update of the project document that sets the changed
 * fields, `version + 1`, what is folded from the history (the trail, the
 * schedule and the responsibility) and the change's history entry (`lastEntry`) together: the change and its audit entry commit at once or not
 * at all. The entry is then appended to `project_history` under the key
 * (project, version); until that has happened the project itself still holds
 * it, and the next change, a start-up or `npm run check -- --repair` appends
 * it. The catalogue row is replaced after every commit.
 */
/**
 * The projects read or changed lately, whole, as the database holds them: a
 * project's page and its next change need no database read. Every change goes
 * through this module in the database's only service process, which keeps them
 * current; callers treat them as read-only.
 */
const recent = new LRUCache<string, ProjectDoc>({ max: 2_000 });

async function storedEntry(projectId: string, version: number): Promise<StoredHistoryEntry | undefined> {
  const known = knownEntry(projectId, version);
  if (known) return known;
  const entry = await historyStore.find(projectId, version);
  if (entry) rememberStored(entry);
  return entry;
}

const versionsOf = (chunk: number) => Array.from({ length: HISTORY_CHUNK }, (_, i) => chunk * HISTORY_CHUNK + i + 1);

/** The chunks wholly inside versions `from` to `to`. */
function chunksWithin(from: number, to: number): number[] {
  const chunks: number[] = [];
  for (let chunk = chunkOfVersion(from + HISTORY_CHUNK - 1); (chunk + 1) * HISTORY_CHUNK <= to; chunk++) chunks.push(chunk);
  return chunks;
}

/** Reads those of `chunks` whose entries are not at hand; returns those not written yet. */
async function readChunks(projectId: string, chunks: number[]): Promise<number[]> {
  const wanted = chunks.filter((chunk) => versionsOf(chunk).some((v) => !knownEntry(projectId, v)));
  const found = await Promise.all(wanted.map((chunk) => historyChunkStore.find(projectId, chunk)));
  found.forEach((entries) => entries?.forEach(rememberStored));
  return wanted.filter((_, i) => !found[i]);
}

/**
 * Writes a chunk when all sixteen entries are known to be appended and are in
 * memory (it never reads for it: a chunk whose entries are not at hand is
 * written by the first read of them). It is only a faster copy, so a failure
 * waits for the next read.
 */
function writeChunk(projectId: string, chunk: number): void {
  const entries = versionsOf(chunk).map((v) => knownEntry(projectId, v));
  if (!entries.every((entry) => entry !== undefined)) return;
  historyChunkStore.insert(projectId, chunk, entries.map(({ _id, projectId: _project, ...entry }) => entry)).catch((error: unknown) => {
    logger.debug({ err: error, projectId, chunk }, 'history chunk not written');
  });
}

export async function findProject(id: string): Promise<ProjectDoc> {
  const known = recent.get(id);
  if (known) return known;
  const project = isValidObjectId(id) ? await projectStore.find(new Types.ObjectId(id)) : undefined;
  if (!project) throw notFound(messages.notVisible);
  recent.set(id, project);
  return project;
}

/** The catalogue row of a project, or 404. */
export function projectRow(id: string): ProjectRow {
  const row = catalogue.get(id);
  if (!row) throw notFound(messages.notVisible);
  return row;
}

export interface ProjectChange {
  /** The fields that change, with their whole new values. */
  set: Partial<Omit<ProjectDoc, '_id' | 'version' | 'lastEntry' | 'trail' | 'schedule' | 'responsibility' | 'createdAt'>>;
  entry: HistoryEntry;
}

// Each project's changes are serialised in this process: on FerretDB that is
// what makes the version check hold (src/db/capabilities.ts, versionFilter).
const projectLock = new KeyedLock();

const toTrailEntry = (entry: HistoryEntry): TrailEntry => ({ ...entry, at: entry.at.toISOString() });

/** A new project, at version 1, with its first history entry. */
export async function insertProject(fields: Omit<ProjectDoc, '_id' | 'version' | 'lastEntry' | 'trail'> & { _id?: Types.ObjectId }, entry: HistoryEntry): Promise<ProjectDoc> {
  const project: ProjectDoc = {
    ...fields,
    _id: fields._id ?? new Types.ObjectId(),
    version: 1,
    lastEntry: { ...entry, version: 1 },
    trail: advanceTrail(emptyTrail(), toTrailEntry(entry)),
  };
  await projectStore.insert(project);
  committed(project);
  return project;
}

/** What follows every commit: the project kept at hand, its row replaced, its entry queued for the history, followers told. */
function committed(project: ProjectDoc): void {
  const id = project._id.toString();
  recent.set(id, project);
  catalogue.put(project);
  appendLater(id, project.lastEntry);
  announceCommit(id, project.lastEntry);
}

/**
 * New projects at once (an import, docs/domain.md "Importing projects"), each
 * at version 1 with its one history entry: one write for all. A project
 * already stored with its id (the same import repeated after a stop) is left
 * as it is. Returns the projects inserted now.
 */
const withResponsibility = (responsibility: ProjectDoc['responsibility']) => (responsibility ? { responsibility } : {});

export async function insertProjects(items: { fields: Omit<ProjectDoc, '_id' | 'version' | 'lastEntry' | 'trail'> & { _id: Types.ObjectId }; entry: HistoryEntry }[]): Promise<ProjectDoc[]> {
  const projects: ProjectDoc[] = items.map(({ fields, entry }) => ({
    ...fields,
    version: 1,
    lastEntry: { ...entry, version: 1 },
    trail: advanceTrail(emptyTrail(), toTrailEntry(entry)),
    ...withResponsibility(advanceResponsibility(undefined, entry)),
  }));
  const there = await projectStore.insertMany(projects);
  const inserted = projects.filter((_, i) => !there.has(i));
  for (const project of inserted) committed(project);
  // Those stored by an earlier attempt cut off: taken as stored (their entry's time is that attempt's), their entry appended if it was not.
  for (const i of there) {
    const stored = await projectStore.find(projects[i]!._id);
    if (!stored) continue;
    catalogue.put(stored);
    appendLater(stored._id.toString(), stored.lastEntry);
  }
  return inserted;
}

/**
 * Changes one project: `plan` sees the project exactly as the change will
 * replace it (check permissions, stage and the version the caller saw there)
 * and says what changes; nothing else changes it meanwhile. `prepare` writes
 * what the change will point at (a file's record) before the change itself.
 */
export function commitProjectChange(
  id: string,
  plan: (current: ProjectDoc) => ProjectChange | Promise<ProjectChange>,
  prepare?: () => Promise<void>,
): Promise<ProjectDoc> {
  return projectLock.run(id, async () => {
    const current = await findProject(id);
    const { set, entry } = await plan(current);
    await ensureAppended(id, current.lastEntry);
    // The entry just made sure of completes a chunk: written now if its entries are at hand.
    if (current.version % HISTORY_CHUNK === 0) writeChunk(id, chunkOfVersion(current.version));
    await prepare?.();
    const version = current.version + 1;
    const lastEntry: LatestEntry = { ...entry, version };
    const trail: Trail = advanceTrail(current.trail ?? emptyTrail(), toTrailEntry(entry));
    const schedule = advanceSchedule(current.schedule ?? emptySchedule(), { ...entry, day: chinaDay(entry.at) });
    const responsibility = advanceResponsibility(current.responsibility, entry);
    const updated: ProjectDoc = { ...current, ...set, version, lastEntry, trail, schedule, responsibility, updatedAt: entry.at };
    const replaced = await projectStore.replace(updated, current.version).catch((error: unknown) => {
      // The write may or may not have landed: take the project as the database has it once it answers again.
      recent.delete(id);
      void reconcile(id);
      throw error;
    });
    if (!replaced) {
      recent.delete(id);
      throw staleVersion();
    }
    committed(updated);
    return updated;
  });
}

const RECONCILE_RETRY_MS = 1_000;

/** Reads a project back until the database answers, and puts it in the catalogue as it is stored. */
async function reconcile(id: string): Promise<void> {
  for (;;) {
    try {
      const stored = await projectStore.find(new Types.ObjectId(id));
      if (stored) catalogue.put(stored);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, RECONCILE_RETRY_MS).unref());
    }
  }
}

/** Refuses a change planned on a version other than the one it would replace. */
export function expectVersion(current: Pick<ProjectDoc, 'version'>, expected: number): void {
  if (current.version !== expected) throw staleVersion();
}

const entryOf = ({ at, actorId, actorName, role, orgId, event, from, to, reason, data }: HistoryEntry): HistoryEntry =>
  ({ at, actorId, actorName, role, orgId, event, from, to, reason, data });

/** What an entry says, as text: two records of it say the same when their texts are equal. */
export const entryText = (entry: HistoryEntry) => JSON.stringify(entryOf(entry));

/** Whether two records of a history entry say the same. */
export const sameEntry = (a: HistoryEntry, b: HistoryEntry) => entryText(a) === entryText(b);

/** The stored entries of versions `from` to `to` of a project, in order; a missing one is left out. */
export async function storedHistory(projectId: string, from: number, to: number): Promise<StoredHistoryEntry[]> {
  const chunks = chunksWithin(from, to);
  const versions = Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
  const inChunks = (v: number) => chunks.length > 0 && chunkOfVersion(v) >= chunks[0]! && chunkOfVersion(v) <= chunks.at(-1)!;
  // The chunks and the entries after them at the same time; then what the chunks hold is at hand.
  const [unwritten] = await Promise.all([readChunks(projectId, chunks), ...versions.filter((v) => !inChunks(v)).map((v) => storedEntry(projectId, v))]);
  const found = await Promise.all(versions.map((v) => storedEntry(projectId, v)));
  for (const chunk of unwritten) writeChunk(projectId, chunk);
  return found.filter((entry) => entry !== undefined);
}

/** Every entry of a project's history, oldest first: the appended ones, and the newest, which the project holds. */
export async function projectHistory(project: ProjectDoc): Promise<HistoryEntry[]> {
  const earlier = await storedHistory(project._id.toString(), 1, project.version - 1);
  return [...earlier, project.lastEntry].map(entryOf);
}

/**
 * Fills the catalogue from the projects collection, bringing any project stored
 * in the earlier layout to the current one on the way (layout-upgrade.ts);
 * returns how many projects there are and how many were upgraded.
 */
export async function loadCatalogue(): Promise<{ projects: number; upgraded: number }> {
  const rows: ProjectRow[] = [];
  let upgraded = 0;
  forgetAppended();
  recent.clear();
  forgetStoredEntries();
  forgetDocumentRecords();
  for await (const project of projectStore.scan()) {
    if (hasOldLayout(project)) {
      rows.push(rowOf(await upgradeLayout(project)));
      upgraded++;
    } else {
      const current = await withWholeTrail(project as ProjectDoc);
      // Already decoded: the first pages opened after a start need no read (the last ones scanned stay).
      recent.set(current._id.toString(), current);
      rows.push(rowOf(current));
    }
  }
  catalogue.reset(rows);
  return { projects: rows.length, upgraded };
}

/** A trail stored before it kept the files awaiting review is rebuilt from the history, once. */
async function withWholeTrail(project: ProjectDoc): Promise<ProjectDoc> {
  if (!project.trail || project.trail.awaitingReview) return project;
  const rebuilt = { ...project, trail: trailOf((await projectHistory(project)).map(toTrailEntry)) };
  await projectStore.replace(rebuilt, project.version);
  return rebuilt;
}
