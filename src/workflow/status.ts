import type { CurrentUser } from '../accounts/current-user';
import { coverageRatio, securedFunds } from '../../workflows/guards';
import { rules, type ReviewStage } from '../../workflows/rules';
import type { ProjectDoc } from '../projects/project.model';
import { availableEvents, contextOf } from './engine';
import { addWorkingDays, chinaDay, workingDaysBetween } from './working-days';

function isReviewStage(stage: string): stage is ReviewStage {
  return stage in rules.reviewTimeLimits;
}

/** The due date of a review stage, counted in working days on China's official calendar. */
export function reviewDeadline(project: Pick<ProjectDoc, 'stage' | 'stageEnteredAt'>, now = new Date()) {
  if (!isReviewStage(project.stage)) return undefined;
  const limit = rules.reviewTimeLimits[project.stage];
  const dueDate = addWorkingDays(project.stageEnteredAt, limit);
  const today = chinaDay(now);
  return {
    limitWorkingDays: limit,
    dueDate,
    overdue: today > dueDate,
    workingDaysUsed: workingDaysBetween(project.stageEnteredAt, now),
  };
}

/** Where the project stands in its workflow, as this user sees it. */
export function workflowStatus(project: ProjectDoc, user: CurrentUser, now = new Date()) {
  const context = contextOf(project);
  const review = reviewDeadline(project, now);
  const ratio = coverageRatio(project.financing ?? undefined);
  return {
    availableEvents: availableEvents(project, { id: user.id, role: user.role, orgId: user.orgId }),
    review,
    dueDate: review?.dueDate,
    overdue: review?.overdue ?? false,
    coverage:
      project.channel === 'special_bond'
        ? { ratio: ratio === undefined ? undefined : Math.round(ratio * 100) / 100, threshold: rules.coverageThreshold, reached: ratio !== undefined && ratio >= rules.coverageThreshold }
        : undefined,
    securedAmount: securedFunds(context),
    disbursedAmount: context.record.disbursements.reduce((sum, d) => sum + d.amount, 0),
  };
}
