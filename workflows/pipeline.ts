import { and, assign, setup } from 'xstate';
import { recorders, type ActionName } from './actions';
import type { WorkflowContext, WorkflowEvent } from './context';
import { checks, type GuardName } from './guards';
import type { Stage } from './stages';

/**
 * The skeleton both channels share (domain.md, "Stages: the contract"): the
 * named guards and actions, and the stages from intake to evaluation. The
 * channel machines add what happens between approval and implementation.
 */
const guards = Object.fromEntries(
  Object.entries(checks).map(([name, check]) => [
    name,
    ({ context, event }: { context: WorkflowContext; event: WorkflowEvent }, params: never) =>
      check(context, event, params) === undefined,
  ]),
) as Record<GuardName, (args: { context: WorkflowContext; event: WorkflowEvent }, params: never) => boolean>;

const actions = Object.fromEntries(
  Object.entries(recorders).map(([name, record]) => [
    name,
    assign(({ context, event }: { context: WorkflowContext; event: WorkflowEvent }) => ({
      record: { ...context.record, ...record(context, event) },
    })),
  ]),
) as Record<ActionName, ReturnType<typeof assign<WorkflowContext, WorkflowEvent, undefined, WorkflowEvent, never>>>;

export const pipeline = setup({
  types: { context: {} as WorkflowContext, events: {} as WorkflowEvent, input: {} as WorkflowContext },
  guards,
  actions,
});

export type GuardRef = GuardName | { type: 'requiredDocumentsAccepted'; params: { stage: 'draft' | 'preliminary' } };

export interface StepMeta {
  guards: GuardRef[];
}

/** A transition: where it goes (none: it stays), every guard that must pass, what it records. */
export function step(target: Stage | null, guards: GuardRef[], record: ActionName[] = []) {
  return {
    ...(target ? { target } : {}),
    guard: and(guards as never),
    actions: record,
    meta: { guards } satisfies StepMeta,
  };
}

export const documentsAccepted = (stage: 'draft' | 'preliminary'): GuardRef => ({
  type: 'requiredDocumentsAccepted',
  params: { stage },
});

/** From the first draft to the higher level's decision. */
export const intakeStages = (submitFromPreliminary: GuardRef[]) => ({
  draft: {
    description: '谋划（草稿）',
    on: {
      SUBMIT: step('reserve_review', ['byOwner', documentsAccepted('draft'), 'fundingAddsUp']),
      WITHDRAW: step('withdrawn', ['byOwner']),
    },
  },
  reserve_review: {
    description: '入库审核',
    on: {
      APPROVE: step('reserve', ['byStaff']),
      RETURN: step('draft', ['byStaff', 'hasReason']),
      REJECT: step('rejected', ['byStaff', 'hasReason']),
    },
  },
  reserve: {
    description: '储备库',
    on: {
      START_PRELIMINARY: step('preliminary', ['byOwnerOrStaff']),
      REMOVE: step('removed', ['byStaff', 'hasReason']),
    },
  },
  preliminary: {
    description: '前期工作',
    on: {
      SUBMIT: step('application_review', ['byOwner', documentsAccepted('preliminary'), ...submitFromPreliminary]),
      WITHDRAW: step('withdrawn', ['byOwner']),
    },
  },
  application_review: {
    description: '申报审核',
    on: {
      APPROVE: step('submitted', ['byStaff'], ['recordApplication']),
      RETURN: step('preliminary', ['byStaff', 'hasReason']),
    },
  },
  submitted: {
    description: '已上报，待上级批复',
    on: {
      RECORD_APPROVAL: step('approved', ['byStaff', 'hasValidData'], ['recordApproval']),
      // Not chosen this round: back to the reserve to wait for the next one.
      RECORD_REJECTION: step('reserve', ['byStaff', 'hasReason']),
    },
  },
});

/** From the start of works to the performance evaluation, and the final stages. */
export const deliveryStages = {
  implementation: {
    description: '实施中',
    on: {
      RECORD_DISBURSEMENT: step(null, ['byStaff', 'hasValidData', 'disbursementWithinSecured'], ['recordDisbursement']),
      RECORD_PROGRESS: step(null, ['byStaff', 'hasValidData'], ['recordProgress']),
      COMPLETE: step('completed', ['byStaff', 'hasValidData'], ['recordCompletion']),
    },
  },
  completed: {
    description: '已竣工',
    on: {
      EVALUATE: step('evaluated', ['byStaff', 'hasValidData', 'scoresMatchTargets'], ['recordEvaluation']),
    },
  },
  evaluated: { description: '绩效评价完成', type: 'final' as const },
  rejected: { description: '不予入库', type: 'final' as const },
  removed: { description: '出库', type: 'final' as const },
  withdrawn: { description: '撤回', type: 'final' as const },
};
