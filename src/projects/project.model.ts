import mongoose, { Schema, type Types } from 'mongoose';
import { channels, fields, stages, type Channel, type Field, type Stage } from '../../workflows/stages';
import type { ProjectFields } from './project.schemas';
import type { WorkflowRecord } from '../../workflows/context';
import { dossierDocumentSchema, type DossierDocument } from '../dossier/document.model';

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

/** A project: its own fields, its stage and workflow record, its dossier and its history. */
export interface ProjectDoc extends Omit<ProjectFields, 'orgId'>, Partial<WorkflowRecord> {
  _id: Types.ObjectId;
  orgId: Types.ObjectId;
  channel: Channel;
  field: Field;
  stage: Stage;
  version: number;
  machineVersion: string;
  stageEnteredAt: Date;
  documents: DossierDocument[];
  history: HistoryEntry[];
  createdAt: Date;
  updatedAt: Date;
}

const yuan = { type: Number, required: true, min: 0 };

const historyEntrySchema = new Schema<HistoryEntry>(
  {
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
  },
  { _id: false },
);

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
    // The workflow record (workflows/context.ts), written only by the machines' actions.
    applications: [Schema.Types.Mixed],
    approval: Schema.Types.Mixed,
    issuances: [Schema.Types.Mixed],
    disbursements: [Schema.Types.Mixed],
    progress: [Schema.Types.Mixed],
    completion: Schema.Types.Mixed,
    evaluation: Schema.Types.Mixed,
    documents: [dossierDocumentSchema],
    history: [historyEntrySchema],
  },
  { timestamps: true },
);

// One index per list filter (README, "Indexes").
projectSchema.index({ orgId: 1, updatedAt: -1 });
projectSchema.index({ channel: 1, stage: 1 });
projectSchema.index({ stage: 1, updatedAt: -1 });
projectSchema.index({ field: 1 });
projectSchema.index({ startYear: 1, endYear: 1 });
// Reports (src/reports): funds per year and channel, review timeliness, ledgers.
projectSchema.index({ channel: 1, 'applications.year': 1 });
projectSchema.index({ channel: 1, 'approval.year': 1 });
projectSchema.index({ channel: 1, 'issuances.year': 1 });
projectSchema.index({ 'history.at': 1 });
projectSchema.index({ 'history.event': 1 });
projectSchema.index({ 'documents.review.decision': 1 });

export const Project = mongoose.model<ProjectDoc>('Project', projectSchema);
