import { may, type ProjectScope } from './access';
import type { DocumentState, ProjectState } from './project-state';
import type { Actor } from './roles';
import type { WorkflowRules } from './rules';
import type { Channel } from './vocabulary';

/**
 * The dossier rules (docs/domain.md, "Dossier"): which files a channel asks for
 * and when, the state of each type (only the newest version counts, and only
 * once staff accepted it), and the 一件三证 readiness badge.
 */
export interface DocumentVersion {
  docType: string;
  version: number;
  review?: { decision: 'accepted' | 'rejected' };
}

/** Own keys only, so `__proto__` or `constructor` is never a document type. */
export const isDocumentType = (rules: WorkflowRules, docType: unknown): docType is string =>
  typeof docType === 'string' && Object.hasOwn(rules.documentTypes, docType);

export const documentTypeLabel = (rules: WorkflowRules, docType: string): string =>
  Object.hasOwn(rules.documentTypes, docType) ? rules.documentTypes[docType]! : docType;

/** The newest version of each document type. */
export function currentVersions<D extends DocumentVersion>(documents: readonly D[]): Map<string, D> {
  const current = new Map<string, D>();
  for (const doc of documents) {
    const seen = current.get(doc.docType);
    if (!seen || doc.version > seen.version) current.set(doc.docType, doc);
  }
  return current;
}

export const documentState = (doc: DocumentVersion | undefined): DocumentState => (doc ? (doc.review?.decision ?? 'pending') : 'missing');

/** The state of every document type uploaded so far. */
export function dossierStates(documents: readonly DocumentVersion[]): ProjectState['dossier'] {
  return Object.fromEntries([...currentVersions(documents)].map(([type, doc]) => [type, documentState(doc)]));
}

/** Every document type the channel asks for or accepts, in checklist order, and when each is required. */
export function checklistTypes(channel: Channel, rules: WorkflowRules) {
  const required = rules.requiredDocuments[channel];
  const requiredFor = (type: string) =>
    required.draft.includes(type) ? ('draft' as const) : required.preliminary.includes(type) ? ('preliminary' as const) : undefined;
  return [...new Set([...required.draft, ...required.preliminary, ...rules.optionalDocuments])].map((docType) => ({
    docType,
    label: documentTypeLabel(rules, docType),
    required: requiredFor(docType) !== undefined,
    requiredFor: requiredFor(docType),
  }));
}

/** 一件三证: the approval document and the three permits, all accepted. */
export function yiJianSanZheng(dossier: ProjectState['dossier'], rules: WorkflowRules) {
  const missing = rules.yiJianSanZheng.documents.filter((type) => dossier[type] !== 'accepted');
  return { complete: missing.length === 0, missing, blocksSubmit: rules.yiJianSanZheng.blocksSubmit };
}

/** Files waiting for staff: current versions nobody has reviewed yet. */
export const pendingDocumentTypes = (dossier: ProjectState['dossier']): string[] =>
  Object.entries(dossier).filter(([, state]) => state === 'pending').map(([type]) => type);

/**
 * Whether `actor` may take back a file uploaded by mistake (DOCUMENT_WITHDRAW):
 * its own uploader, while it is the newest version of its type and nobody has
 * reviewed it, and while they may still add files to the project. The upload
 * and its withdrawal stay in the history.
 */
export function mayWithdraw(actor: Actor, project: ProjectScope, file: { uploadedBy: { id: string }; newest: boolean; state: DocumentState }): boolean {
  return file.newest && file.state === 'pending' && file.uploadedBy.id === actor.id && may(actor, 'upload', project);
}
