import type { CurrentUser } from '../shared/current-user';
import { affordances } from '../../workflows/affordances';
import { filesAwaitingReview, reviewDeadline } from '../../workflows/deadlines';
import { checklistTypes, currentVersions, documentState, mayWithdraw, yiJianSanZheng } from '../../workflows/dossier';
import { coverageRatio, disbursedFunds, hasSecuredInYear, moneyYears, quotaUses, releasesOf, securedFunds, securedInYear } from '../../workflows/money';
import { fundsOpen } from '../../workflows/funds';
import type { ProjectState } from '../../workflows/project-state';
import { rules } from '../../workflows/rules-file';
import {
  currentScheduleMonth,
  monthOf,
  previousMonth,
  reportDueOn,
  reportingFlags,
  mustReport,
  reportStatus,
  type ScheduleState,
} from '../../workflows/schedule';
import { chinaDay } from '../../workflows/working-days';
import { catalogue, scheduleOf } from './catalogue';
import type { DocumentRecord } from './document.model';
import { currentDocuments } from './document-records';
import type { ProjectDoc } from './project.model';
import { projectStateOf } from './project-state';
import { currentRating } from './row-figures';

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

/**
 * The project's monthly reporting as of `today`: the reports of the year
 * missing or late, and the report being collected now (last month's, due
 * early this month) with its due date and whether it is in.
 */
function reportingNow(schedule: ScheduleState, stage: string, today: string) {
  const month = previousMonth(monthOf(today));
  return {
    ...reportingFlags(schedule, currentScheduleMonth(today, rules), today, rules),
    ...(mustReport(schedule, stage, month) ? { current: { month, dueOn: reportDueOn(month, rules), status: reportStatus(schedule, month, today, rules) } } : {}),
  };
}

/**
 * The money over several years (docs/domain.md, "Money over several years"):
 * each plan release or quota (with what was issued against it), the funds
 * secured in each year, and what this user may record now.
 */
function moneyView(state: ProjectState, user: CurrentUser) {
  const years = new Map<number, number>();
  for (const year of moneyYears(state.channel, state.record)) {
    if (hasSecuredInYear(state.channel, state.record, year)) years.set(year, securedInYear(state.channel, state.record, year));
  }
  return {
    releases: state.channel === 'central_budget' ? releasesOf(state.record) : [],
    quotas: state.channel === 'special_bond' ? quotaUses(state.record) : [],
    securedByYear: [...years].sort(([a], [b]) => a - b).map(([year, amount]) => ({ year, amount })),
    mayRecord: fundsOpen(state, user),
  };
}

/** Where the project stands as this user sees it: what they may do now, its deadline, money, rating, dossier and reporting. */
export async function projectStatus(project: ProjectDoc, user: CurrentUser, now = new Date()) {
  const state = projectStateOf(project);
  const row = catalogue.get(project._id.toString());
  const rated = row && currentRating(row, now);
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
    fileReviews: filesAwaitingReview(project, now, rules),
    coverage:
      project.channel === 'special_bond'
        ? { ratio: ratio === undefined ? undefined : Math.round(ratio * 100) / 100, threshold: rules.coverageThreshold, reached: ratio !== undefined && ratio >= rules.coverageThreshold }
        : undefined,
    securedAmount: securedFunds(state.channel, state.record),
    money: moneyView(state, user),
    disbursedAmount: disbursedFunds(state.record),
    rating: rated && { rating: rated.rating, reason: rated.reason },
    dossier: dossierChecklist(project.channel, await currentDocuments(project)).map((item) => ({
      ...item,
      mayWithdraw: item.current !== undefined && mayWithdraw(user, scope, { uploadedBy: item.current.uploadedBy, newest: true, state: item.state }),
    })),
    readiness: { yiJianSanZheng: yiJianSanZheng(state.dossier, rules) },
    reporting: reportingNow(scheduleOf(project), project.stage, chinaDay(now)),
  };
}
