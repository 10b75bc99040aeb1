import { pendingDocumentTypes } from './dossier';
import type { ProjectState } from './project-state';
import type { WorkflowRules } from './rules';
import type { Trail } from './trail';
import { finalStages, isReviewStage, type Stage } from './vocabulary';
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
  return isReviewStage(stage) ? deadline(enteredAt, rules.reviewTimeLimits[stage], now) : undefined;
}

/** The due date of a file's review, counted the same way from the day it was uploaded (限时办结). */
export const fileReviewDeadline = (uploadedAt: Date, now: Date, rules: WorkflowRules): ReviewDeadline =>
  deadline(uploadedAt, rules.fileReviewTimeLimit, now);

export interface FileReview extends ReviewDeadline {
  docType: string;
  version: number;
  uploadedAt: string;
}

/** The files waiting for staff on a project that still takes reviews, each with its due date, the most urgent first. */
export function filesAwaitingReview(project: { stage: Stage; dossier: ProjectState['dossier']; trail: Trail }, now: Date, rules: WorkflowRules): FileReview[] {
  if (finalStages.includes(project.stage)) return [];
  const awaiting = project.trail.awaitingReview ?? {};
  return pendingDocumentTypes(project.dossier)
    .flatMap((docType) => {
      const file = awaiting[docType];
      return file ? [{ docType, ...file, ...fileReviewDeadline(new Date(file.uploadedAt), now, rules) }] : [];
    })
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate));
}

/** How many files wait for a review, and how many of them are past their due date. */
export function fileReviewCounts(files: readonly FileReview[]) {
  return { waiting: files.length, overdue: files.filter((f) => f.overdue).length };
}

function deadline(start: Date, limit: number, now: Date): ReviewDeadline {
  const dueDate = addWorkingDays(start, limit);
  return {
    limitWorkingDays: limit,
    dueDate,
    overdue: chinaDay(now) > dueDate,
    workingDaysUsed: workingDaysBetween(start, now),
  };
}
