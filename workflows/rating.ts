import { disbursedFunds, securedFunds } from './money';
import type { ProjectState } from './project-state';
import type { WorkflowRules } from './rules';
import { percentText, wanNumber } from './units';

/**
 * The 红黄绿 rating of a project in implementation (docs/domain.md, "红黄绿"),
 * from what the workflow recorded: secured and disbursed funds, progress
 * reports, and the construction period the project states. Thresholds are
 * settings (rules.yaml, implementationRating).
 */
export type Rating = 'red' | 'yellow' | 'green';
export const ratings: readonly Rating[] = ['red', 'yellow', 'green'];
export const ratingLabels: Record<Rating, string> = { red: '红', yellow: '黄', green: '绿' };

/** What a rating reads of a project; `startedOn` is the day works started (it entered implementation). */
export type RatingInput = Pick<ProjectState, 'channel' | 'record' | 'startYear' | 'endYear'> & { startedOn: string };

const DAY_MS = 86_400_000;
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);
export const daysBetween = (from: string, to: string) => Math.round((dayStart(to) - dayStart(from)) / DAY_MS);

/**
 * The share of the stated construction period (1 January of the start year to
 * 31 December of the end year) elapsed by the end of `day`.
 */
export function plannedShare(project: Pick<RatingInput, 'startYear' | 'endYear'>, day: string): number {
  const elapsed = daysBetween(`${project.startYear}-01-01`, day) + 1;
  const period = daysBetween(`${project.startYear}-01-01`, `${project.endYear + 1}-01-01`);
  return Math.min(1, Math.max(0, elapsed / period));
}

interface Finding {
  rating: Rating;
  text: string;
}

const worst = (findings: Finding[]): Rating => ratings.find((r) => findings.some((f) => f.rating === r)) ?? 'green';

function disbursementFinding(secured: number, disbursed: number, share: number, rules: WorkflowRules): Finding & { disbursedShare?: number } {
  const planned = Math.round(secured * share);
  if (planned === 0) return { rating: 'green', text: `已拨付${wanNumber(disbursed)}万元，截至目前尚无计划拨付资金` };
  const disbursedShare = disbursed / planned;
  const { redBelow, yellowBelow } = rules.implementationRating.disbursedShare;
  const rating: Rating = disbursedShare < redBelow ? 'red' : disbursedShare < yellowBelow ? 'yellow' : 'green';
  const limit = rating === 'red' ? redBelow : yellowBelow;
  // The share is shown with the digits that keep it apart from the limit it is compared with (79.97%, never 80%, below 80%).
  const text = `已拨付${wanNumber(disbursed)}万元，为截至目前计划拨付${wanNumber(planned)}万元的${percentText(disbursedShare, limit)}`;
  return { rating, text: rating === 'green' ? text : `${text}，低于${percentText(limit, disbursedShare)}`, disbursedShare };
}

function reportingFinding(lastReportDay: string | undefined, startedDay: string, today: string, rules: WorkflowRules): Finding & { days: number } {
  const days = daysBetween(lastReportDay ?? startedDay, today);
  const { redAfter, yellowAfter } = rules.implementationRating.daysSinceProgressReport;
  const rating: Rating = days > redAfter ? 'red' : days > yellowAfter ? 'yellow' : 'green';
  const text = lastReportDay ? `距最近一次报送进展（${lastReportDay}）${days}天` : `开工以来${days}天未报送进展`;
  const limit = rating === 'red' ? redAfter : yellowAfter;
  return { rating, days, text: rating === 'green' ? text : `${text}，超过${limit}天` };
}

/** The facts of a project in implementation and its rating on `today`, with the reason in words. */
export function rateImplementation(project: RatingInput, today: string, rules: WorkflowRules) {
  const secured = securedFunds(project.channel, project.record);
  const disbursed = disbursedFunds(project.record);
  const lastReport = project.record.progress.at(-1);
  const share = plannedShare(project, today);
  const money = disbursementFinding(secured, disbursed, share, rules);
  const reporting = reportingFinding(lastReport?.date, project.startedOn, today, rules);
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

export type ImplementationRating = ReturnType<typeof rateImplementation>;
