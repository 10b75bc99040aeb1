import type { CurrentUser } from '../shared/current-user';
import { affordances } from '../../workflows/affordances';
import { reviewDeadline } from '../../workflows/deadlines';
import { checklistTypes, currentVersions, documentState, yiJianSanZheng } from '../../workflows/dossier';
import { coverageRatio, disbursedFunds, securedFunds } from '../../workflows/money';
import { rules } from '../../workflows/rules-file';
import type { DossierDocument } from './document.model';
import type { ProjectDoc } from './project.model';
import { projectStateOf } from './project-state';

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

/** Every document type the channel asks for or accepts, with its current version. */
export function dossierChecklist(project: Pick<ProjectDoc, 'channel' | 'documents'>) {
  const current = currentVersions(project.documents ?? []);
  return checklistTypes(project.channel, rules).map((item) => {
    const doc = current.get(item.docType);
    return { ...item, state: documentState(doc), current: doc && documentView(doc) };
  });
}

/** Where the project stands as this user sees it: what they may do now, its deadline, money and dossier. */
export function projectStatus(project: ProjectDoc, user: CurrentUser, now = new Date()) {
  const state = projectStateOf(project);
  const allowed = affordances(state, user, rules);
  const review = reviewDeadline(project.stage, project.stageEnteredAt, now, rules);
  const ratio = coverageRatio(state.financing);
  return {
    availableEvents: allowed.events.map((e) => e.type),
    affordances: allowed,
    review,
    dueDate: review?.dueDate,
    overdue: review?.overdue ?? false,
    coverage:
      project.channel === 'special_bond'
        ? { ratio: ratio === undefined ? undefined : Math.round(ratio * 100) / 100, threshold: rules.coverageThreshold, reached: ratio !== undefined && ratio >= rules.coverageThreshold }
        : undefined,
    securedAmount: securedFunds(state.channel, state.record),
    disbursedAmount: disbursedFunds(state.record),
    dossier: dossierChecklist(project),
    readiness: { yiJianSanZheng: yiJianSanZheng(state.dossier, rules) },
  };
}
