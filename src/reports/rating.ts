import { securedFunds } from '../../workflows/guards';
import { rules } from '../../workflows/rules';
import type { ProjectDoc } from '../projects/project.model';
import { contextOf } from '../workflow/engine';
import { chinaDay } from '../workflow/working-days';
import { daysBetween, percentText, wanText } from './units';

/**
 * The 红黄绿 rating of a project in implementation (seed 003), from what the
 * workflow recorded: secured and disbursed funds, progress reports, and the
 * construction period the project states. Thresholds are in workflows/rules.yaml.
 */
export type Rating = 'red' | 'yellow' | 'green';
export const ratings: readonly Rating[] = ['red', 'yellow', 'green'];
export const ratingLabels: Record<Rating, string> = { red: '红', yellow: '黄', green: '绿' };

/** The fields a rating reads; a query for ratings projects at least these. */
export const ratingProjection = {
  channel: 1, name: 1, orgId: 1, field: 1, location: 1, startYear: 1, endYear: 1, totalInvestment: 1, requestedAmount: 1,
  funding: 1, stage: 1, stageEnteredAt: 1, approval: 1, issuances: 1, disbursements: 1, progress: 1,
} as const;

export type RatedProject = Pick<ProjectDoc, keyof typeof ratingProjection | '_id'>;

/**
 * The share of the stated construction period (1 January of the start year to
 * 31 December of the end year) elapsed by the end of `day`.
 */
export function plannedShare(project: Pick<ProjectDoc, 'startYear' | 'endYear'>, day: string): number {
  const elapsed = daysBetween(`${project.startYear}-01-01`, day) + 1;
  const period = daysBetween(`${project.startYear}-01-01`, `${project.endYear + 1}-01-01`);
  return Math.min(1, Math.max(0, elapsed / period));
}

interface Finding {
  rating: Rating;
  text: string;
}

const worst = (findings: Finding[]): Rating => ratings.find((r) => findings.some((f) => f.rating === r)) ?? 'green';

function disbursementFinding(secured: number, disbursed: number, share: number): Finding & { disbursedShare?: number } {
  const planned = Math.round(secured * share);
  if (planned === 0) return { rating: 'green', text: `已拨付${wanText(disbursed)}万元，截至目前尚无计划拨付资金` };
  const disbursedShare = disbursed / planned;
  const { redBelow, yellowBelow } = rules.implementationRating.disbursedShare;
  const rating: Rating = disbursedShare < redBelow ? 'red' : disbursedShare < yellowBelow ? 'yellow' : 'green';
  const limit = rating === 'red' ? redBelow : yellowBelow;
  const text = `已拨付${wanText(disbursed)}万元，为截至目前计划拨付${wanText(planned)}万元的${percentText(disbursedShare)}`;
  return { rating, text: rating === 'green' ? text : `${text}，低于${percentText(limit)}`, disbursedShare };
}

function reportingFinding(lastReportDay: string | undefined, startedDay: string, today: string): Finding & { days: number } {
  const days = daysBetween(lastReportDay ?? startedDay, today);
  const { redAfter, yellowAfter } = rules.implementationRating.daysSinceProgressReport;
  const rating: Rating = days > redAfter ? 'red' : days > yellowAfter ? 'yellow' : 'green';
  const text = lastReportDay ? `距最近一次报送进展（${lastReportDay}）${days}天` : `开工以来${days}天未报送进展`;
  const limit = rating === 'red' ? redAfter : yellowAfter;
  return { rating, days, text: rating === 'green' ? text : `${text}，超过${limit}天` };
}

/** Funds secured (released plan, or bonds issued) and disbursed so far, in yuan. */
export function fundsOf(project: RatedProject) {
  return {
    secured: securedFunds(contextOf(project as ProjectDoc)),
    disbursed: (project.disbursements ?? []).reduce((sum, d) => sum + d.amount, 0),
  };
}

/** The facts of a project in implementation and its rating, with the reason in words. */
export function rateProject(project: RatedProject, now = new Date()) {
  const today = chinaDay(now);
  const { secured, disbursed } = fundsOf(project);
  const lastReport = project.progress?.at(-1);
  const share = plannedShare(project, today);
  const money = disbursementFinding(secured, disbursed, share);
  const reporting = reportingFinding(lastReport?.date, chinaDay(project.stageEnteredAt), today);
  const rating = worst([money, reporting]);
  return {
    rating,
    reason: `${ratingLabels[rating]}：${money.text}；${reporting.text}`,
    securedAmount: secured,
    disbursedAmount: disbursed,
    disbursedShare: money.disbursedShare,
    plannedShare: share,
    progressPercent: lastReport?.percent,
    lastReportDate: lastReport?.date,
    daysSinceProgressReport: reporting.days,
  };
}

export type ProjectRating = ReturnType<typeof rateProject>;
