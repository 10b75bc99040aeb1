import type { WorkflowRules } from './rules';
import { isReviewStage, type Stage } from './vocabulary';
import { addWorkingDays, chinaDay, workingDaysBetween } from './working-days';

export interface ReviewDeadline {
  limitWorkingDays: number;
  dueDate: string;
  overdue: boolean;
  workingDaysUsed: number;
}

/**
 * The due date of a review stage entered at `enteredAt`, counted in working
 * days on China's official calendar; none for other stages. Overdue once the
 * due date has passed on `now` (the day the review ended, for a finished one).
 */
export function reviewDeadline(stage: Stage, enteredAt: Date, now: Date, rules: WorkflowRules): ReviewDeadline | undefined {
  if (!isReviewStage(stage)) return undefined;
  const limit = rules.reviewTimeLimits[stage];
  const dueDate = addWorkingDays(enteredAt, limit);
  return {
    limitWorkingDays: limit,
    dueDate,
    overdue: chinaDay(now) > dueDate,
    workingDaysUsed: workingDaysBetween(enteredAt, now),
  };
}
