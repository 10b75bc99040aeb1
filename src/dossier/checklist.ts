import { rules } from '../../workflows/rules';
import type { Channel } from '../../workflows/stages';
import { currentVersions, type DossierDocument } from './document.model';

export type DocumentState = 'missing' | 'pending' | 'accepted' | 'rejected';

export function documentState(doc: DossierDocument | undefined): DocumentState {
  if (!doc) return 'missing';
  if (!doc.review) return 'pending';
  return doc.review.decision;
}

export function documentView(doc: DossierDocument) {
  return {
    id: doc._id.toString(),
    docType: doc.docType,
    version: doc.version,
    fileName: doc.fileName,
    size: doc.size,
    sha256: doc.sha256,
    mime: doc.mime,
    uploadedAt: doc.uploadedAt.toISOString(),
    uploadedBy: doc.uploadedBy,
    state: documentState(doc),
    review: doc.review && { ...doc.review, at: doc.review.at.toISOString() },
  };
}

/** Every document type the channel asks for or accepts, with the state of its current version. */
export function dossierChecklist(channel: Channel, documents: DossierDocument[]) {
  const current = currentVersions(documents);
  const required = rules.requiredDocuments[channel];
  const requiredAt = (type: string) =>
    required.draft.includes(type) ? 'draft' : required.preliminary.includes(type) ? 'preliminary' : undefined;
  const types = [...new Set([...required.draft, ...required.preliminary, ...rules.optionalDocuments])];
  return types.map((docType) => {
    const doc = current.get(docType);
    return {
      docType,
      label: rules.documentTypes[docType] ?? docType,
      required: requiredAt(docType) !== undefined,
      requiredFor: requiredAt(docType),
      state: documentState(doc),
      current: doc && documentView(doc),
    };
  });
}

/** 一件三证 (seed 002): the approval document and the three permits, all accepted. */
export function yiJianSanZheng(documents: DossierDocument[]) {
  const current = currentVersions(documents);
  const missing = rules.yiJianSanZheng.documents.filter((t) => documentState(current.get(t)) !== 'accepted');
  return { complete: missing.length === 0, missing, blocksSubmit: rules.yiJianSanZheng.blocksSubmit };
}
