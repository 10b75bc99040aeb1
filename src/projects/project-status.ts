import type { CurrentUser } from '../shared/current-user';
import { affordances } from '../../workflows/affordances';
import { reviewDeadline } from '../../workflows/deadlines';
import { checklistTypes, currentVersions, documentState, mayWithdraw, yiJianSanZheng } from '../../workflows/dossier';
import { ratingLabels } from '../../workflows/rating';
import { coverageRatio, disbursedFunds, securedFunds } from '../../workflows/money';
import { rules } from '../../workflows/rules-file';
import type { DocumentRecord } from './document.model';
import { currentDocuments } from './document-records';
import type { ProjectDoc } from './project.model';
import { projectStateOf } from './project-state';
import { catalogue } from './catalogue';
import { ratingIfRated } from './row-rating';
import { chinaDay } from '../../workflows/working-days';

export function documentView(doc: DocumentRecord) {
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

/** Every document type the channel asks for or accepts, with its current version (`current`: currentDocuments of the project). */
export function dossierChecklist(channel: ProjectDoc['channel'], current: DocumentRecord[]) {
  const byType = currentVersions(current);
  return checklistTypes(channel, rules).map((item) => {
    const doc = byType.get(item.docType);
    return { ...item, state: documentState(doc), current: doc && documentView(doc) };
  });
}

/** Where the project stands as this user sees it: what they may do now, its deadline, money, rating and dossier. */
export async function projectStatus(project: ProjectDoc, user: CurrentUser, now = new Date()) {
  const state = projectStateOf(project);
  const row = catalogue.get(project._id.toString());
  const rated = row && ratingIfRated(row, chinaDay(now));
  const scope = { orgId: state.orgId, stage: state.stage };
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
    rating: rated && { rating: rated.rating, label: ratingLabels[rated.rating], reason: rated.reason },
    dossier: dossierChecklist(project.channel, await currentDocuments(project)).map((item) => ({
      ...item,
      mayWithdraw: item.current !== undefined && mayWithdraw(user, scope, { uploadedBy: item.current.uploadedBy, newest: true, state: item.state }),
    })),
    readiness: { yiJianSanZheng: yiJianSanZheng(state.dossier, rules) },
  };
}
