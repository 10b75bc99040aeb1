import { Types } from 'mongoose';
import { dossierStates } from '../../workflows/dossier';
import { trailOf } from '../../workflows/trail';
import { duplicatesOnly } from '../shared/mongo-errors';
import { DocumentRecords, type DocumentRecord } from './document.model';
import type { HistoryEntry, ProjectDoc } from './project.model';
import { encodeHistoryEntry, historyStore, projectStore } from './project-store';

/**
 * Projects stored by versions before the history and the files' details moved
 * out of the project document (README, "Storage") carry `history` and whole
 * `documents`, unpacked. The start-up reads every project anyway (the catalogue), so each
 * such project is brought to the current layout on the way: its history
 * entries appended, its newest one and trail kept in the project, its files'
 * details written as records. Each step can be repeated, so a start cut short
 * completes at the next one.
 */
type OldDocument = DocumentRecord & { _id: Types.ObjectId };
export type OldLayoutProject = Omit<ProjectDoc, 'documents'> & { history: HistoryEntry[]; documents: (OldDocument | Types.ObjectId)[] };

export const hasOldLayout = (project: object): project is OldLayoutProject => Array.isArray((project as Partial<OldLayoutProject>).history);

/** Lets an insert of `size` documents that found some already there (an upgrade cut off before) count as done. */
const unlessOnlyDuplicates = (size: number) => (error: unknown) => {
  if (!duplicatesOnly(error, size)) throw error;
};

export async function upgradeLayout(project: OldLayoutProject): Promise<ProjectDoc> {
  const id = project._id.toString();
  const entries = project.history.map((entry, i) => encodeHistoryEntry(id, { ...entry, version: i + 1 }));
  if (entries.length) await historyStore.insertMany(entries).catch(unlessOnlyDuplicates(entries.length));

  const files = project.documents.filter((d): d is OldDocument => !(d instanceof Types.ObjectId));
  const records = files.map(({ _id, docType, version, fileName, size, sha256, mime, kind, storageKey, uploadedAt, uploadedBy, review }) => ({
    _id, projectId: project._id, docType, version, fileName, size, sha256, mime, kind, storageKey, uploadedAt, uploadedBy, review,
  }));
  if (records.length) await DocumentRecords.collection.insertMany(records as never[], { ordered: false }).catch(unlessOnlyDuplicates(records.length));

  const { history, ...rest } = project;
  const upgraded: ProjectDoc = {
    ...rest,
    documents: project.documents.map((d) => (d instanceof Types.ObjectId ? d : d._id)),
    dossier: dossierStates(files),
    lastEntry: { ...history.at(-1)!, version: history.length },
    trail: trailOf(history.map((h) => ({ ...h, at: new Date(h.at).toISOString() }))),
  };
  await projectStore.replace(upgraded, undefined);
  return upgraded;
}
