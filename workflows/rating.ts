import type { WorkflowRules } from './rules';
import {
  completedInYear,
  dueToStartBy,
  reportingFlags,
  startedBy,
  plannedToDate,
  yearOfMonth,
  type ScheduleState,
} from './schedule';
import { amountText, percentText } from './units';

/**
 * The 红黄绿 rating of a project against its own plan for the year
 * (docs/domain.md, "红黄绿"): investment completed against the year's plan pro
 * rata to the month, reports late or missing, a planned start missed. The
 * worse finding decides; every finding is said in words. A project without a
 * plan for the year is not rated, and says so. Thresholds are settings
 * (rules.yaml, scheduleRating).
 */
export type Rating = 'red' | 'yellow' | 'green';
export const ratings: readonly Rating[] = ['red', 'yellow', 'green'];
export const ratingLabels: Record<Rating, string> = { red: '红', yellow: '黄', green: '绿' };

interface Finding {
  rating: Rating;
  text: string;
}

export interface PlanRating {
  /** None when the project has no plan for the year. */
  rating?: Rating;
  reason: string;
  plannedInvestment?: number;
  /** The year's plan pro rata to the month. */
  plannedToDate?: number;
  completedToDate?: number;
  /** completedToDate ÷ plannedToDate. */
  completionShare?: number;
  missingReports: string[];
  lateReports: string[];
  startMissed: boolean;
}

const worst = (findings: Finding[]): Rating => ratings.find((r) => findings.some((f) => f.rating === r)) ?? 'green';
/** A month (YYYY-MM) as reports name it within its year: 8月. */
export const monthText = (month: string) => `${Number(month.slice(5, 7))}月`;

function completionFinding(completed: number, planned: number, month: string, rules: WorkflowRules): Finding & { share?: number } {
  const toDate = `截至${monthText(month)}完成投资${amountText(completed)}`;
  if (planned === 0) return { rating: 'green', text: `${toDate}，年度计划至今尚无投资安排` };
  const share = completed / planned;
  const { redBelow, yellowBelow } = rules.scheduleRating.completionShare;
  const rating: Rating = share < redBelow ? 'red' : share < yellowBelow ? 'yellow' : 'green';
  const limit = rating === 'red' ? redBelow : yellowBelow;
  // The share is shown with the digits that keep it apart from the limit it is compared with (79.97%, never 80%, below 80%).
  const text = `${toDate}，为按月计划${amountText(planned)}的${percentText(share, limit)}`;
  return { rating, share, text: rating === 'green' ? text : `${text}，低于${percentText(limit, share)}` };
}

function reportingFinding(missing: string[], late: string[], rules: WorkflowRules): Finding | undefined {
  const { yellowAt, redAt } = rules.scheduleRating.missingReports;
  const parts = [
    ...(missing.length ? [`${missing.map(monthText).join('、')}月报未报送`] : []),
    ...(late.length ? [`${late.map(monthText).join('、')}月报逾期报送`] : []),
  ];
  if (!parts.length) return undefined;
  const rating: Rating = missing.length >= redAt ? 'red' : missing.length >= yellowAt || late.length ? 'yellow' : 'green';
  return { rating, text: parts.join('，') };
}

/** The rating of a project for `month` (YYYY-MM), as of `today`. */
export function rateAgainstPlan(schedule: ScheduleState, month: string, today: string, rules: WorkflowRules): PlanRating {
  const year = yearOfMonth(month);
  const plan = schedule.plans[String(year)];
  const { missing: missingReports, late: lateReports } = reportingFlags(schedule, month, today, rules);
  if (!plan) return { reason: `尚未制定${year}年度计划，无法评定`, missingReports, lateReports, startMissed: false };

  const toDate = plannedToDate(plan, month);
  const completedToDate = completedInYear(schedule, year, month);
  const completion = completionFinding(completedToDate, toDate, month, rules);
  const startMissed = dueToStartBy(plan, month) && !startedBy(schedule, month);
  const findings: Finding[] = [
    completion,
    ...[reportingFinding(missingReports, lateReports, rules) ?? []].flat(),
    ...(startMissed ? [{ rating: rules.scheduleRating.startMissed, text: `计划${Number(plan.plannedStart!.slice(5, 7))}月开工，至今未开工` }] : []),
  ];
  const rating = worst(findings);
  return {
    rating,
    reason: `${ratingLabels[rating]}：${findings.map((f) => f.text).join('；')}`,
    plannedInvestment: plan.plannedInvestment,
    plannedToDate: toDate,
    completedToDate,
    completionShare: completion.share,
    missingReports,
    lateReports,
    startMissed,
  };
}
