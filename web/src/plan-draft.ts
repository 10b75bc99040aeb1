/**
 * A year plan as a form holds it (empty text for what is not set) and as the
 * API takes it; checked with the core's own schema (workflows/schedule-input.ts),
 * so a form refuses what the API would, in the same words.
 */
import type { KeyLevel, YearPlan } from '../../workflows/schedule';
import { yearPlanInput } from '../../workflows/schedule-input';
import { problemsOf } from './validation';

export interface PlanDraft {
  keyLevel: KeyLevel | '';
  plannedInvestment: number;
  plannedStart: string;
  plannedCompletion: string;
}

export const draftOf = (plan?: YearPlan): PlanDraft => ({
  keyLevel: plan?.keyLevel ?? '',
  plannedInvestment: plan?.plannedInvestment ?? 0,
  plannedStart: plan?.plannedStart ?? '',
  plannedCompletion: plan?.plannedCompletion ?? '',
});

export const planOf = (draft: PlanDraft): YearPlan => ({
  ...(draft.keyLevel ? { keyLevel: draft.keyLevel } : {}),
  plannedInvestment: draft.plannedInvestment,
  ...(draft.plannedStart ? { plannedStart: draft.plannedStart } : {}),
  ...(draft.plannedCompletion ? { plannedCompletion: draft.plannedCompletion } : {}),
});

/** The first problem of each field, by field name; none when the plan would be taken. */
export const planProblems = (draft: PlanDraft): Record<string, string> => problemsOf(yearPlanInput, planOf(draft));

/** Whether two drafts say the same plan. */
export const samePlan = (a: PlanDraft, b: PlanDraft) => JSON.stringify(planOf(a)) === JSON.stringify(planOf(b));
