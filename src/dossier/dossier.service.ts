import mongoose from 'mongoose';
import type { CurrentUser } from '../accounts/current-user';
import { rules } from '../../workflows/rules';
import { invalid, notFound, staleVersion } from '../shared/problem';
import { historyEntry } from '../projects/history';
import { Project, type ProjectDoc } from '../projects/project.model';
import { commitToCurrentProject, findProject } from '../projects/project.repository';
import { loadProjectFor } from '../projects/projects.service';
import { assertMay } from '../policy/policy';
import type { DossierDocument, ReviewDecision } from './document.model';
import { storedFilePath, type StoredFile } from './storage';

export function checkDocumentType(docType: unknown): string {
  if (typeof docType !== 'string' || !(docType in rules.documentTypes)) {
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
  await loadProjectFor(user, projectId, 'upload');
  const id = new mongoose.Types.ObjectId();
  const updated = await commitToCurrentProject(projectId, (project) => {
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
    return { push: { documents: document }, entry: historyEntry(user, 'DOCUMENT_UPLOAD', { data }, document.uploadedAt) };
  });
  return updated.documents.find((d) => d._id.equals(id))!;
}

async function findDocument(user: CurrentUser, documentId: string) {
  const project = mongoose.isValidObjectId(documentId)
    ? await Project.findOne({ 'documents._id': documentId }, { _id: 1, orgId: 1, stage: 1 }).lean<ProjectDoc>()
    : null;
  if (!project) throw notFound('材料不存在或无权查看');
  assertMay(user, 'read', { orgId: project.orgId.toString(), stage: project.stage });
  return project._id.toString();
}

export async function listDocuments(user: CurrentUser, projectId: string): Promise<DossierDocument[]> {
  const project = await loadProjectFor(user, projectId);
  return [...project.documents].sort((a, b) => a.docType.localeCompare(b.docType) || b.version - a.version);
}

/** A stored file to send, for a user who may see its project. */
export async function openDocument(user: CurrentUser, documentId: string, uploadsDir: string) {
  const projectId = await findDocument(user, documentId);
  const project = await findProject(projectId);
  const document = project.documents.find((d) => d._id.toString() === documentId)!;
  return { document, path: storedFilePath(uploadsDir, document.storageKey) };
}

export async function reviewDocument(
  user: CurrentUser,
  documentId: string,
  decision: 'accept' | 'reject',
  reason: string | undefined,
  at = new Date(),
): Promise<DossierDocument> {
  const projectId = await findDocument(user, documentId);
  await loadProjectFor(user, projectId, 'review');
  if (decision === 'reject' && !reason?.trim()) throw invalid([{ path: 'reason', message: '退回材料须说明理由' }]);
  const verdict: ReviewDecision = decision === 'accept' ? 'accepted' : 'rejected';
  const updated = await commitToCurrentProject(projectId, (project) => {
    const target = project.documents.find((d) => d._id.toString() === documentId);
    if (!target) throw staleVersion();
    const review = { decision: verdict, reason: reason?.trim() || undefined, at, by: { id: user.id, name: user.displayName } };
    const documents = project.documents.map((d) => (d._id.toString() === documentId ? { ...d, review } : d));
    const data = { documentId, docType: target.docType, version: target.version, decision: verdict };
    return { set: { documents }, entry: historyEntry(user, 'DOCUMENT_REVIEW', { reason: review.reason, data }, at) };
  });
  return updated.documents.find((d) => d._id.toString() === documentId)!;
}
