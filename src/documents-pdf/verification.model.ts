import mongoose, { Schema, type Types } from 'mongoose';
import { stages, type Stage } from '../../workflows/vocabulary';

/**
 * What a printed application was generated from, found by the code printed on it. A snapshot: a reader
 * compares it with the paper, so it keeps the name, owner and stage as they were at that version.
 */
export interface VerificationDoc {
  /** The verification code, ten characters of Crockford base32. */
  _id: string;
  projectId: Types.ObjectId;
  version: number;
  projectName: string;
  orgName: string;
  stage: Stage;
  createdAt: Date;
}

const verificationSchema = new Schema<VerificationDoc>(
  {
    _id: { type: String, required: true },
    projectId: { type: Schema.Types.ObjectId, required: true },
    version: { type: Number, required: true },
    projectName: { type: String, required: true },
    orgName: { type: String, required: true },
    stage: { type: String, required: true, enum: stages },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

// One code per project version: generating the same version again finds it.
verificationSchema.index({ projectId: 1, version: 1 }, { unique: true });

export const Verification = mongoose.model<VerificationDoc>('Verification', verificationSchema, 'pdf_verifications');

/** The code of each printed project version, found by "<project id>:<version>" (a look-up by key on any database). */
export interface VersionCodeDoc {
  _id: string;
  projectId: Types.ObjectId;
  code: string;
}

export const VersionCode = mongoose.model<VersionCodeDoc>(
  'VersionCode',
  new Schema<VersionCodeDoc>(
    { _id: { type: String, required: true }, projectId: { type: Schema.Types.ObjectId, required: true }, code: { type: String, required: true } },
    { versionKey: false },
  ),
  'pdf_version_codes',
);
