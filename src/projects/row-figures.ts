import { reviewDeadline, type ReviewDeadline } from '../../workflows/deadlines';
import type { PlanRating } from '../../workflows/rating';
import { rules } from '../../workflows/rules-file';
import { currentScheduleMonth, isScheduled, yearOfMonth } from '../../workflows/schedule';
import { projectMonth, type ProjectMonth } from '../../workflows/schedule-figures';
import { droppedStages } from '../../workflows/vocabulary';
import { chinaDay } from '../../workflows/working-days';
import type { ProjectRow } from './catalogue';
import { memoByRowAndKey } from './row-memo';

/** The month whose figures are current now (workflows/schedule.ts, currentScheduleMonth). */
export const currentMonth = (now = new Date()) => currentScheduleMonth(chinaDay(now), rules);

/**
 * Projects that dropped out (不予入库, 出库, 撤回) count in no figure, not even for
 * the rounds they went through before they left.
 */
export const countsInFigures = (row: ProjectRow) => !droppedStages.includes(row.stage);

/** Whether a project is followed month by month in `year`: it counts, and has a plan for the year or is under way. */
export const isScheduledIn = (row: ProjectRow, year: number) => countsInFigures(row) && isScheduled(row.schedule, row.stage, year);

/**
 * A project's scheduling figures and rating for `month`, as of `today`. Kept
 * per catalogue row (row-memo.ts): asking again for the same month on the same
 * day costs nothing, whichever list, page or report asks.
 */
export const figuresOf: (row: ProjectRow, month: string, today: string) => ProjectMonth = memoByRowAndKey(
  (row, month: string, today: string) => projectMonth(row.schedule, month, today, rules),
  (_row, month, today) => `${month}|${today}`,
);

export const planRatingOf = (row: ProjectRow, month: string, today: string): PlanRating => figuresOf(row, month, today).rating;

/**
 * The 红黄绿 a project's row and page show: its rating for the month of the
 * current figures when it is followed that year (without a plan for the year
 * it is not rated, and the reason says so); none for any other project.
 */
export function currentRating(row: ProjectRow, now = new Date()): PlanRating | undefined {
  const month = currentMonth(now);
  return isScheduledIn(row, yearOfMonth(month)) ? planRatingOf(row, month, chinaDay(now)) : undefined;
}

/** A row's review deadline as of `now`: it changes only with the row or the day. */
export const rowReview: (row: ProjectRow, now: Date) => ReviewDeadline | undefined = memoByRowAndKey(
  (row, now: Date) => reviewDeadline(row.stage, row.stageEnteredAt, now, rules),
  (_row, now) => chinaDay(now),
);
