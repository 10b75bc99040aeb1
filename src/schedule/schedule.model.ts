import mongoose, { Schema, type Types } from 'mongoose';
import { storedFileFields, uploaderFields, type StoredFileRecord } from '../dossier/storage/file-record';

/**
 * One revision of one month's report (月报), as the unit sent it: never
 * changed; a correction is the next revision. `_id` is
 * "<project id>:<YYYY-MM>:<revision>", so the project's own note of its months
 * finds each by key.
 */
export interface MonthlyReportRecord {
  _id: string;
  projectId: Types.ObjectId;
  month: string;
  revision: number;
  completedInvestment: number;
  progressPercent: number;
  progressNote: string;
  /** 遇到的问题, in the unit's words. */
  problems?: string;
  /** The project's problems (问题清单) the report names. */
  problemIds?: string[];
  startedOn?: string;
  inStatistics?: boolean;
  photoIds: Types.ObjectId[];
  reason?: string;
  reportedAt: Date;
  reportedBy: { id: string; name: string; role: string };
}

export const reportId = (projectId: string, month: string, revision: number) => `${projectId}:${month}:${revision}`;


export const MonthlyReports = mongoose.model<MonthlyReportRecord>(
  'MonthlyReport',
  new Schema<MonthlyReportRecord>(
    {
      _id: { type: String, required: true },
      projectId: { type: Schema.Types.ObjectId, required: true },
      month: { type: String, required: true },
      revision: { type: Number, required: true },
      completedInvestment: { type: Number, required: true },
      progressPercent: { type: Number, required: true },
      progressNote: { type: String, required: true },
      problems: String,
      problemIds: [String],
      startedOn: String,
      inStatistics: Boolean,
      photoIds: [Schema.Types.ObjectId],
      reason: String,
      reportedAt: { type: Date, required: true },
      reportedBy: { ...uploaderFields, role: { type: String, required: true } },
    },
    { versionKey: false, collection: 'monthly_reports' },
  ),
);

/** A photo of the site sent with a monthly report; its bytes are stored like a dossier file. Never changed. */
export type SitePhotoRecord = StoredFileRecord;

export const SitePhotos = mongoose.model<SitePhotoRecord>(
  'SitePhoto',
  new Schema<SitePhotoRecord>(
    storedFileFields,
    { versionKey: false, collection: 'site_photos' },
  ),
);
