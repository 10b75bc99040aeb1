import mongoose, { Schema, type Types } from 'mongoose';
import { channels, fields, stages, type Channel, type Field, type Stage } from '../../workflows/vocabulary';
import type { WorkflowRecord } from '../../workflows/project-state';
import type { Trail } from '../../workflows/trail';
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
 * (docs/architecture.md, "Storage"). The rest of its history is in
 * `project_history`.
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
  createdAt: Date;
  updatedAt: Date;
}

const yuan = { type: Number, required: true, min: 0 };

const historyFields = {
  at: { type: Date, required: true },
  actorId: { type: String, required: true },
  actorName: { type: String, required: true },
  role: { type: String, required: true },
  orgId: String,
  event: { type: String, required: true },
  from: String,
  to: String,
  reason: String,
  data: Schema.Types.Mixed,
};

const projectSchema = new Schema<ProjectDoc>(
  {
    channel: { type: String, required: true, enum: channels },
    name: { type: String, required: true },
    field: { type: String, required: true, enum: fields },
    orgId: { type: Schema.Types.ObjectId, required: true, ref: 'Organisation' },
    location: String,
    description: String,
    totalInvestment: yuan,
    requestedAmount: yuan,
    funding: {
      centralBudget: yuan,
      specialBond: yuan,
      localFiscal: yuan,
      selfRaised: yuan,
      other: yuan,
    },
    startYear: { type: Number, required: true },
    endYear: { type: Number, required: true },
    financing: { type: new Schema({ projectedRevenue: yuan, debtService: yuan }, { _id: false }), required: false },
    performanceTargets: [
      new Schema({ category: String, name: String, weight: Number, target: String }, { _id: false }),
    ],
    stage: { type: String, required: true, enum: stages },
    version: { type: Number, required: true },
    machineVersion: { type: String, required: true },
    stageEnteredAt: { type: Date, required: true },
    // The workflow record (workflows/project-state.ts), written only by the machines' actions.
    applications: [Schema.Types.Mixed],
    approval: Schema.Types.Mixed,
    issuances: [Schema.Types.Mixed],
    disbursements: [Schema.Types.Mixed],
    progress: [Schema.Types.Mixed],
    completion: Schema.Types.Mixed,
    evaluation: Schema.Types.Mixed,
    documents: [Schema.Types.ObjectId],
    dossier: Schema.Types.Mixed,
    lastEntry: new Schema({ ...historyFields, version: { type: Number, required: true } }, { _id: false }),
    trail: Schema.Types.Mixed,
  },
  { timestamps: true },
);

// With MongoDB these serve lists of an organisation and the ones by stage; the
// service answers lists and reports from its catalogue (catalogue.ts) either way.
projectSchema.index({ orgId: 1, updatedAt: -1 });
projectSchema.index({ stage: 1, updatedAt: -1 });

export const Project = mongoose.model<ProjectDoc>('Project', projectSchema);

/** A history entry as stored: `_id` is "<project id>:<version>", so the pair is unique and an entry is found by key. */
export interface StoredHistoryEntry extends HistoryEntry {
  _id: string;
  projectId: Types.ObjectId;
  version: number;
}

export const historyEntryId = (projectId: string, version: number) => `${projectId}:${String(version).padStart(6, '0')}`;

export const ProjectHistory = mongoose.model<StoredHistoryEntry>(
  'ProjectHistory',
  new Schema<StoredHistoryEntry>(
    { _id: String, projectId: { type: Schema.Types.ObjectId, required: true }, version: { type: Number, required: true }, ...historyFields },
    { versionKey: false, collection: 'project_history' },
  ),
);
