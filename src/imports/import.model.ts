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
  /** The workbook is not laid out like the template: its columns must be mapped onto it first. */
  needsMapping?: boolean;
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
      needsMapping: Boolean,
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

/** A ledger's layout as staff mapped it onto a template sheet, remembered for the next ledger of the same shape. */
export interface RememberedLayout {
  templateSheet: string;
  /** The file's header names in its header row, sorted: the shape it is known by. */
  headers: string[];
  headerRow: number;
  columns: Record<string, string>;
  usedAt: Date;
}

/** The layouts remembered for one kind of import, newest first; `_id` is the kind, so reading them is a look-up by key. */
export interface ImportMappingsRecord {
  _id: string;
  layouts: RememberedLayout[];
}

export const ImportMappings = mongoose.model<ImportMappingsRecord>(
  'ImportMapping',
  new Schema<ImportMappingsRecord>({ _id: String }, { versionKey: false, strict: false, collection: 'import_mappings' }),
);
