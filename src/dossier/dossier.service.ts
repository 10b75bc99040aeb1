import mongoose from 'mongoose';
import type { CurrentUser } from '../shared/current-user';
import { isDocumentType } from '../../workflows/dossier';
import { rules } from '../../workflows/rules-file';
import { invalid, notFound } from '../shared/problem';
import { historyEntry } from '../projects/history';
import type { DossierDocument, ReviewDecision } from '../projects/document.model';
import type { ProjectDoc } from '../projects/project.model';
import { commitProjectChange } from '../projects/project.repository';
import { assertMayOnProject, loadProjectFor } from '../projects/projects.service';
import { DocumentLocator } from './document-locator.model';
import { storedFilePath, type StoredFile } from './storage';

export function checkDocumentType(docType: unknown): string {
  if (!isDocumentType(rules, docType)) {
    throw invalid([{ path: 'docType', message: `材料类型应为：${Object.keys(rules.documentTypes).join('、')}` }]);
  }
  return docType;
}

/** Adds a new version of a document type, for a file already stored. */
export async function addDocumentVersion(
  user: CurrentUser,
  projectId: string,
  docType: unknown,
  file: StoredFile,
  now = new Date(),
): Promise<DossierDocument> {
  const type = checkDocumentType(docType);
  const id = new mongoose.Types.ObjectId();
  // Written first: a locator whose upload failed leads nowhere (404), a document without one could not be found.
  await DocumentLocator.create({ _id: id, projectId });
  const updated = await commitProjectChange(projectId, (project) => {
    assertMayOnProject(user, 'upload', project);
    const document: DossierDocument = {
      _id: id,
      docType: type,
      version: 1 + Math.max(0, ...project.documents.filter((d) => d.docType === type).map((d) => d.version)),
      fileName: file.originalName,
      size: file.size,
      sha256: file.sha256,
      mime: file.mime,
      kind: file.kind,
      storageKey: file.storageKey,
      uploadedAt: now,
      uploadedBy: { id: user.id, name: user.displayName },
    };
    const data = { documentId: id.toString(), docType: type, version: document.version, fileName: document.fileName, sha256: file.sha256 };
    return { set: { documents: [...project.documents, document] }, entry: historyEntry(user, 'DOCUMENT_UPLOAD', { data }, now) };
  });
  return updated.documents.find((d) => d._id.equals(id))!;
}

async function locateDocument(documentId: string): Promise<string> {
  const locator = mongoose.isValidObjectId(documentId) ? await DocumentLocator.findById(documentId).lean() : null;
  if (!locator) throw notFound('材料不存在或无权查看');
  return locator.projectId.toString();
}

function documentIn(project: ProjectDoc, documentId: string): DossierDocument {
  const document = project.documents.find((d) => d._id.toString() === documentId);
  if (!document) throw notFound('材料不存在或无权查看');
  return document;
}

export async function listDocuments(user: CurrentUser, projectId: string): Promise<DossierDocument[]> {
  const project = await loadProjectFor(user, projectId);
  return [...project.documents].sort((a, b) => a.docType.localeCompare(b.docType) || b.version - a.version);
}

/** A stored file to send, for a user who may see its project. */
export async function openDocument(user: CurrentUser, documentId: string, uploadsDir: string) {
  const project = await loadProjectFor(user, await locateDocument(documentId));
  const document = documentIn(project, documentId);
  return { document, path: storedFilePath(uploadsDir, document.storageKey) };
}

export async function reviewDocument(
  user: CurrentUser,
  documentId: string,
  decision: 'accept' | 'reject',
  reason: string | undefined,
  at = new Date(),
): Promise<DossierDocument> {
  if (decision === 'reject' && !reason?.trim()) throw invalid([{ path: 'reason', message: '退回材料须说明理由' }]);
  const review = {
    decision: (decision === 'accept' ? 'accepted' : 'rejected') as ReviewDecision,
    reason: reason?.trim() || undefined,
    at,
    by: { id: user.id, name: user.displayName },
  };
  const updated = await commitProjectChange(await locateDocument(documentId), (project) => {
    assertMayOnProject(user, 'review', project);
    const target = documentIn(project, documentId);
    const documents = project.documents.map((d) => (d === target ? { ...d, review } : d));
    const data = { documentId, docType: target.docType, version: target.version, decision: review.decision };
    return { set: { documents }, entry: historyEntry(user, 'DOCUMENT_REVIEW', { reason: review.reason, data }, at) };
  });
  return documentIn(updated, documentId);
}
