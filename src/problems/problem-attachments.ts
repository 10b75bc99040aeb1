import mongoose, { isValidObjectId, Schema, Types, type mongo } from 'mongoose';
import { messages } from '../../workflows/messages';
import type { CurrentUser } from '../shared/current-user';
import { invalid, notFound } from '../shared/problem';
import { recordOfStoredFile, storedFileFields, type StoredFile, type StoredFileRecord } from '../dossier/storage';
import { loadProjectFor } from '../projects/projects.service';

/**
 * A file that shows a problem (a letter, a photo of the site, a drawing),
 * stored as dossier files are: sniffed, limited in size, kept by SHA-256.
 * It is uploaded to the project first and then named when the problem is
 * raised, as site photos are named in a monthly report. Never changed.
 */
export type ProblemAttachmentRecord = StoredFileRecord;

export const ProblemAttachments = mongoose.model<ProblemAttachmentRecord>(
  'ProblemAttachment',
  new Schema<ProblemAttachmentRecord>(
    storedFileFields,
    { versionKey: false, collection: 'problem_attachments' },
  ),
);

const attachments = () => ProblemAttachments.collection as unknown as mongo.Collection<ProblemAttachmentRecord>;

export const attachmentUrl = (id: string) => `/api/problem-attachments/${id}/content`;

export const attachmentView = (record: ProblemAttachmentRecord) => ({
  id: record._id.toString(),
  fileName: record.fileName,
  size: record.size,
  mime: record.mime,
  url: attachmentUrl(record._id.toString()),
});

/** Keeps a file already stored as an attachment of the project, for a user who may raise problems on it. */
export async function addAttachment(user: CurrentUser, projectId: string, file: StoredFile, now = new Date()): Promise<ProblemAttachmentRecord> {
  const project = await loadProjectFor(user, projectId, 'raise');
  const record = recordOfStoredFile(project._id, file, user, now);
  await attachments().insertOne(record);
  return record;
}

/** The attachments a problem names must have been uploaded to its project. */
export async function attachmentIdsOf(projectId: Types.ObjectId, ids: readonly string[]): Promise<Types.ObjectId[]> {
  const keys = [...new Set(ids)].map((id) => new Types.ObjectId(id));
  const found = await Promise.all(keys.map((_id) => attachments().findOne({ _id }, { projection: { projectId: 1 } })));
  if (found.some((record) => !record?.projectId.equals(projectId))) throw invalid([{ path: 'attachments', message: messages.attachmentNotOfProject }]);
  return keys;
}

/** An attachment to send, for a user who may see its project. */
export async function findAttachment(user: CurrentUser, id: string): Promise<ProblemAttachmentRecord> {
  const record = isValidObjectId(id) ? await attachments().findOne({ _id: new Types.ObjectId(id) }) : null;
  if (!record) throw notFound(messages.attachmentNotVisible);
  await loadProjectFor(user, record.projectId.toString());
  return record;
}

/** The attachments a problem names, as its page shows them. */
export async function attachmentViews(ids: readonly Types.ObjectId[]) {
  const found = await Promise.all(ids.map((_id) => attachments().findOne({ _id })));
  return found.filter((record) => record !== null).map(attachmentView);
}

/** Every attachment record, for the invariant check. */
export const allAttachments = () => attachments().find({});
