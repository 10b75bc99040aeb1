import mongoose, { Schema, type Types } from 'mongoose';
import type { Role } from '../../workflows/roles';
import type { CellError } from './workbook';

export const importStates = ['checked', 'committed', 'applied'] as const;
export type ImportState = (typeof importStates)[number];

/** Who uploaded or committed an import: enough to act as them when an import cut off is finished at start-up. */
export interface ImportActor {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  orgId?: string;
}

/**
 * One uploaded sheet: its checked rows and errors, kept until it is
 * committed. Committing is one update of this record from `checked` to
 * `committed` (the commit point); the rows are then saved one by one, and the
 * record marked `applied` once all are. A record left `committed` by a crash is
 * finished at the next start.
 */
export interface ImportRecord {
  _id: Types.ObjectId;
  kind: string;
  fileName: string;
  rows: { row: number; value: unknown }[];
  cellErrors: CellError[];
  state: ImportState;
  createdBy: ImportActor;
  createdAt: Date;
  committedBy?: ImportActor;
  committedAt?: Date;
  appliedAt?: Date;
}

const actor = { id: String, username: String, displayName: String, role: String, orgId: String };

export const Imports = mongoose.model<ImportRecord>(
  'Import',
  new Schema<ImportRecord>(
    {
      kind: { type: String, required: true },
      fileName: { type: String, required: true },
      rows: { type: Schema.Types.Mixed, default: [] },
      cellErrors: { type: Schema.Types.Mixed, default: [] },
      state: { type: String, enum: importStates, required: true },
      createdBy: actor,
      createdAt: { type: Date, required: true },
      committedBy: actor,
      committedAt: Date,
      appliedAt: Date,
    },
    { versionKey: false, collection: 'imports' },
  ).index({ state: 1 }),
);
