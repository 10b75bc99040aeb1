import { Schema, type Types } from 'mongoose';

export type ReviewDecision = 'accepted' | 'rejected';

/** One uploaded version of one document type, embedded in its project (its bytes are stored by src/dossier). */
export interface DossierDocument {
  _id: Types.ObjectId;
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
  review?: { decision: ReviewDecision; reason?: string; at: Date; by: { id: string; name: string } };
}

const actor = { id: { type: String, required: true }, name: { type: String, required: true } };

export const dossierDocumentSchema = new Schema<DossierDocument>({
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
  review: {
    type: new Schema({ decision: String, reason: String, at: Date, by: actor }, { _id: false }),
    required: false,
  },
});
