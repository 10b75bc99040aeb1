import mongoose, { Schema, type Types } from 'mongoose';
import { channels, stages, type Channel, type Field, type Stage } from '../../workflows/vocabulary';
import type { WorkflowRecord } from '../../workflows/project-state';
import type { Trail } from '../../workflows/trail';
import type { ScheduleState } from '../../workflows/schedule';
import type { Responsibility } from '../../workflows/responsibility';
import type { RoundMembership } from '../../workflows/rounds';
import type { ProjectFields } from './project.schemas';
import type { DocumentState } from '../../workflows/project-state';

/** One entry of a project's history: who did what, when, from which stage to which. */
export interface HistoryEntry {
  at: Date;
  actorId: string;
  actorName: string;
  role: string;
  orgId?: string;
  event: string;
  from?: Stage;
  to?: Stage;
  reason?: string;
  data?: unknown;
}

/** The newest history entry, kept in the project until it is also in the history collection. */
export interface LatestEntry extends HistoryEntry {
  version: number;
}

/**
 * A project as stored: its own fields, its stage and workflow record, its
 * dossier, its newest history entry and the trail reports read
 * (README, "Storage and speed"). The rest of its history is in
 * `project_history`, its files' details in `dossier_documents`.
 */
export interface ProjectDoc extends Omit<ProjectFields, 'orgId'>, Partial<WorkflowRecord> {
  _id: Types.ObjectId;
  orgId: Types.ObjectId;
  channel: Channel;
  field: Field;
  stage: Stage;
  version: number;
  machineVersion: string;
  stageEnteredAt: Date;
  /** The ids of every uploaded version, oldest first; each file's details are in its record (document.model.ts). */
  documents: Types.ObjectId[];
  /** The state of the newest version of each document type uploaded so far. */
  dossier: Partial<Record<string, DocumentState>>;
  lastEntry: LatestEntry;
  trail: Trail;
  /** Plans by year and the newest figures of each month's report (workflows/schedule.ts); the reports themselves are in `monthly_reports`. */
  schedule: Omit<ScheduleState, 'completedOn'>;
  /** Who answers for it (workflows/responsibility.ts), folded from its RESPONSIBILITY entries; none until staff assign someone. */
  responsibility?: Responsibility;
  /** The round whose plan draft it is in, and the amount asked this time (workflows/rounds.ts), set by its ROUND entries. */
  round?: RoundMembership;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The collections, in the shape project-store.ts writes them (a few plain
 * fields and the rest packed); nothing else reads or writes them directly.
 */
export const Project = mongoose.model(
  'Project',
  new Schema(
    {
      orgId: { type: Schema.Types.ObjectId, required: true },
      channel: { type: String, required: true, enum: channels },
      name: { type: String, required: true },
      stage: { type: String, required: true, enum: stages },
      version: { type: Number, required: true },
      updatedAt: { type: Date, required: true },
      state: { type: String, required: true },
    },
    { versionKey: false, collection: 'projects' },
  ),
);

/** A history entry as stored: `_id` is "<project id>:<version>", so the pair is unique and an entry is found by key. */
export interface StoredHistoryEntry extends HistoryEntry {
  _id: string;
  projectId: Types.ObjectId;
  version: number;
}

export const historyEntryId = (projectId: string, version: number) => `${projectId}:${String(version).padStart(6, '0')}`;

/**
 * How many history entries a chunk holds: versions 1–16 are chunk 0, 17–32
 * chunk 1, and so on (project-store.ts, historyChunkStore).
 */
export const HISTORY_CHUNK = 16;
export const chunkOfVersion = (version: number) => Math.floor((version - 1) / HISTORY_CHUNK);
export const historyChunkId = (projectId: string, chunk: number) => `${projectId}:chunk:${String(chunk).padStart(5, '0')}`;

export const ProjectHistoryChunks = mongoose.model(
  'ProjectHistoryChunk',
  new Schema(
    {
      _id: String,
      projectId: { type: Schema.Types.ObjectId, required: true },
      chunk: { type: Number, required: true },
      entries: { type: String, required: true },
    },
    { versionKey: false, collection: 'project_history_chunks' },
  ),
);

export const ProjectHistory = mongoose.model(
  'ProjectHistory',
  new Schema(
    {
      _id: String,
      projectId: { type: Schema.Types.ObjectId, required: true },
      version: { type: Number, required: true },
      at: { type: Date, required: true },
      event: { type: String, required: true },
      entry: { type: String, required: true },
    },
    { versionKey: false, collection: 'project_history' },
  ),
);
