import type { CurrentUser } from '../shared/current-user';
import { currentVersions, documentState, isDocumentType, mayWithdraw } from '../../workflows/dossier';
import { refusedByLock } from '../../workflows/access';
import { messages } from '../../workflows/messages';
import { rules } from '../../workflows/rules-file';
import { conflict, forbidden, invalid, notFound } from '../shared/problem';
import { historyEntry } from '../projects/history';
import type { DocumentRecord, ReviewDecision } from '../projects/document.model';
import { allDocuments, findDocumentRecord, insertDocumentRecord, noteReview } from '../projects/document-records';
import type { ProjectDoc } from '../projects/project.model';
import { commitProjectChange } from '../projects/project.repository';
import { assertMayOnProject, loadProjectFor } from '../projects/projects.service';
import { recordOfStoredFile, type StoredFile } from './storage';

export function checkDocumentType(docType: unknown): string {
  if (!isDocumentType(rules, docType)) {
    throw invalid([{ path: 'docType', message: messages.documentTypeUnknown(Object.values(rules.documentTypes)) }]);
  }
  return docType;
}

/**
 * Adds a new version of a document type, for a file already stored: its record
 * first (one whose project change then fails leads nowhere), then the change.
 */
export async function addDocumentVersion(
  user: CurrentUser,
  projectId: string,
  docType: unknown,
  file: StoredFile,
  now = new Date(),
): Promise<DocumentRecord> {
  const type = checkDocumentType(docType);
  const project = await loadProjectFor(user, projectId, 'upload');
  const record: DocumentRecord = { ...recordOfStoredFile(project._id, file, user, now), docType: type, version: 0 };
  await commitProjectChange(
    projectId,
    async (current) => {
      assertMayOnProject(user, 'upload', current);
      record.version = 1 + Math.max(0, ...(await allDocuments(current)).filter((d) => d.docType === type).map((d) => d.version));
      const data = { documentId: record._id.toString(), docType: type, version: record.version, fileName: record.fileName, sha256: file.sha256 };
      return {
        set: { documents: [...current.documents, record._id], dossier: { ...current.dossier, [type]: 'pending' } },
        entry: historyEntry(user, 'DOCUMENT_UPLOAD', { data }, now),
      };
    },
    () => insertDocumentRecord(record),
  );
  return record;
}

async function locateDocument(documentId: string): Promise<DocumentRecord> {
  const record = await findDocumentRecord(documentId);
  if (!record) throw notFound(messages.documentNotVisible);
  return record;
}

function assertNoted(project: ProjectDoc, documentId: string): void {
  if (!project.documents.some((id) => id.toString() === documentId)) throw notFound(messages.documentNotVisible);
}

export async function listDocuments(user: CurrentUser, projectId: string): Promise<DocumentRecord[]> {
  const project = await loadProjectFor(user, projectId);
  return (await allDocuments(project)).sort((a, b) => a.docType.localeCompare(b.docType) || b.version - a.version);
}

/** A stored file to send, for a user who may see its project. */
/** A file's record, for a user who may see its project. */
export async function openDocument(user: CurrentUser, documentId: string): Promise<DocumentRecord> {
  const document = await locateDocument(documentId);
  assertNoted(await loadProjectFor(user, document.projectId.toString()), documentId);
  return document;
}

export async function reviewDocument(
  user: CurrentUser,
  documentId: string,
  decision: 'accept' | 'reject',
  reason: string | undefined,
  at = new Date(),
): Promise<DocumentRecord> {
  if (decision === 'reject' && !reason?.trim()) throw invalid([{ path: 'reason', message: messages.rejectionReasonRequired }]);
  const review = {
    decision: (decision === 'accept' ? 'accepted' : 'rejected') as ReviewDecision,
    reason: reason?.trim() || undefined,
    at,
    by: { id: user.id, name: user.displayName },
  };
  const record = await locateDocument(documentId);
  await commitProjectChange(record.projectId.toString(), async (project) => {
    assertMayOnProject(user, 'review', project);
    assertNoted(project, documentId);
    const newest = currentVersions(await allDocuments(project)).get(record.docType);
    // A review of an older version leaves the state of the type's newest one as it is.
    const dossier = newest?._id.equals(record._id) ? { ...project.dossier, [record.docType]: review.decision } : project.dossier;
    const data = { documentId, docType: record.docType, version: record.version, decision: review.decision };
    return { set: { dossier }, entry: historyEntry(user, 'DOCUMENT_REVIEW', { reason: review.reason, data }, at) };
  });
  await noteReview(record._id, review);
  return { ...record, review };
}

/**
 * Takes back a file uploaded by mistake while nobody has reviewed it (workflows/dossier.ts, `mayWithdraw`): the
 * project forgets the version, its type falls back to the version before (or to missing), and the history keeps
 * both the upload and the withdrawal. The file's record stays, noted by no project.
 */
export async function withdrawDocument(user: CurrentUser, documentId: string, at = new Date()): Promise<DocumentRecord> {
  const record = await locateDocument(documentId);
  await commitProjectChange(record.projectId.toString(), async (project) => {
    assertMayOnProject(user, 'read', project);
    assertNoted(project, documentId);
    const all = await allDocuments(project);
    const newest = currentVersions(all).get(record.docType)?._id.equals(record._id) ?? false;
    const scope = { orgId: project.orgId.toString(), stage: project.stage };
    const file = { uploadedBy: record.uploadedBy, newest, state: newest ? (project.dossier[record.docType] ?? 'missing') : documentState(record) };
    if (refusedByLock(user, 'upload', scope)) throw forbidden(messages.projectLocked);
    if (!mayWithdraw(user, scope, file)) {
      if (!file.newest || file.state !== 'pending') throw conflict(messages.withdrawOnlyUnreviewed);
      throw forbidden(file.uploadedBy.id === user.id ? messages.notAllowed : messages.withdrawNotYours);
    }
    const previous = currentVersions(all.filter((d) => !d._id.equals(record._id))).get(record.docType);
    const { [record.docType]: _withdrawn, ...others } = project.dossier;
    // The version before waits for its review again when nobody has reviewed it either (its time limit runs from its upload).
    const waitingAgain = previous && documentState(previous) === 'pending' ? { version: previous.version, uploadedAt: previous.uploadedAt.toISOString() } : undefined;
    const data = { documentId, docType: record.docType, version: record.version, fileName: record.fileName, ...(waitingAgain ? { waitingAgain } : {}) };
    return {
      set: { documents: project.documents.filter((id) => !id.equals(record._id)), dossier: previous ? { ...others, [record.docType]: documentState(previous) } : others },
      entry: historyEntry(user, 'DOCUMENT_WITHDRAW', { data }, at),
    };
  });
  return record;
}
