import { LRUCache } from 'lru-cache';
import { isValidObjectId, Types, type mongo } from 'mongoose';
import { currentVersions } from '../../workflows/dossier';
import { logger } from '../shared/logger';
import { DocumentRecords, type DocumentRecord, type DocumentReview } from './document.model';
import type { ProjectDoc } from './project.model';

/** Records read or written lately: most are read again on the same project's page. */
const known = new LRUCache<string, DocumentRecord>({ max: 20_000 });

const records = () => DocumentRecords.collection as unknown as mongo.Collection<DocumentRecord>;

export async function insertDocumentRecord(record: DocumentRecord): Promise<void> {
  await records().insertOne(record);
  known.set(record._id.toString(), record);
}

/** A document's record by its id, whatever project it belongs to; undefined when there is none. */
export async function findDocumentRecord(id: string): Promise<DocumentRecord | undefined> {
  const cached = known.get(id);
  if (cached) return cached;
  const record = isValidObjectId(id) ? await records().findOne({ _id: new Types.ObjectId(id) }) : null;
  if (record) known.set(id, record);
  return record ?? undefined;
}

/** Every version of every document of the project, oldest first (one whose record is missing is left out: `npm run check` reports it). */
export async function allDocuments(project: Pick<ProjectDoc, 'documents'>): Promise<DocumentRecord[]> {
  const found = await Promise.all((project.documents ?? []).map((id) => findDocumentRecord(id.toString())));
  return found.filter((record): record is DocumentRecord => record !== undefined);
}

/** The newest version of each document type of the project. */
export const currentDocuments = async (project: Pick<ProjectDoc, 'documents'>) => [...currentVersions(await allDocuments(project)).values()];

/**
 * Notes a review on the file's record, after the project's change that decided it
 * committed; if this write is lost, `npm run check -- --repair` writes it from the history.
 */
export async function noteReview(id: Types.ObjectId, review: DocumentReview): Promise<void> {
  try {
    await records().updateOne({ _id: id }, { $set: { review } });
    const cached = known.get(id.toString());
    if (cached) known.set(id.toString(), { ...cached, review });
  } catch (error) {
    known.delete(id.toString());
    logger.warn({ err: error, documentId: id.toString() }, 'review not noted on the file record yet');
  }
}

/** Forgets what it read, as a restart does. */
export function forgetDocumentRecords(): void {
  known.clear();
}
