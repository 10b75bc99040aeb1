import mongoose, { Schema } from 'mongoose';
import { storedFileFields, uploaderFields, type StoredFileRecord, type Uploader } from '../dossier/storage/file-record';

export type ReviewDecision = 'accepted' | 'rejected';

export interface DocumentReview {
  decision: ReviewDecision;
  reason?: string;
  at: Date;
  by: Uploader;
}

/**
 * One uploaded version of one document type: what the file is, where its bytes
 * are (src/dossier/storage) and how staff reviewed it. The project keeps only
 * the ids of its versions and the state of each type's newest one, because a
 * project document is rewritten on every change and its size is what that costs.
 */
export interface DocumentRecord extends StoredFileRecord {
  docType: string;
  version: number;
  /** Written after the project's change that records the review (its history entry is what counts). */
  review?: DocumentReview;
}

export const DocumentRecords = mongoose.model<DocumentRecord>(
  'DocumentRecord',
  new Schema<DocumentRecord>(
    {
      ...storedFileFields,
      docType: { type: String, required: true },
      version: { type: Number, required: true },
      review: { type: new Schema({ decision: String, reason: String, at: Date, by: uploaderFields }, { _id: false }), required: false },
    },
    { versionKey: false, collection: 'dossier_documents' },
  ),
);
