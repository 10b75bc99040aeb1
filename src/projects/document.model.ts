import mongoose, { Schema, type Types } from 'mongoose';

export type ReviewDecision = 'accepted' | 'rejected';

export interface DocumentReview {
  decision: ReviewDecision;
  reason?: string;
  at: Date;
  by: { id: string; name: string };
}

/**
 * One uploaded version of one document type: what the file is, where its bytes
 * are (src/dossier/storage) and how staff reviewed it. The project keeps only
 * the ids of its versions and the state of each type's newest one, because a
 * project document is rewritten on every change and its size is what that costs.
 */
export interface DocumentRecord {
  _id: Types.ObjectId;
  projectId: Types.ObjectId;
  docType: string;
  version: number;
  fileName: string;
  size: number;
  sha256: string;
  mime: string;
  kind: string;
  storageKey: string;
  uploadedAt: Date;
  uploadedBy: { id: string; name: string };
  /** Written after the project's change that records the review (its history entry is what counts). */
  review?: DocumentReview;
}

const actor = { id: { type: String, required: true }, name: { type: String, required: true } };

export const DocumentRecords = mongoose.model<DocumentRecord>(
  'DocumentRecord',
  new Schema<DocumentRecord>(
    {
      projectId: { type: Schema.Types.ObjectId, required: true },
      docType: { type: String, required: true },
      version: { type: Number, required: true },
      fileName: { type: String, required: true },
      size: { type: Number, required: true },
      sha256: { type: String, required: true },
      mime: { type: String, required: true },
      kind: { type: String, required: true },
      storageKey: { type: String, required: true },
      uploadedAt: { type: Date, required: true },
      uploadedBy: actor,
      review: { type: new Schema({ decision: String, reason: String, at: Date, by: actor }, { _id: false }), required: false },
    },
    { versionKey: false, collection: 'dossier_documents' },
  ),
);
