import { assign, setup } from 'xstate';
import { recorders, type ActionName } from './actions';
import { evaluateGuard, type GuardRef, type WorkflowEvent } from './guards';
import type { ProjectState } from './project-state';
import type { WorkflowRules } from './rules';
import { stageLabel, type Channel, type Stage } from './vocabulary';

/**
 * The skeleton both channels share (docs/domain.md, "Stages"): the stages from
 * intake to evaluation, each transition with its named guards and actions. The
 * channel machines add what happens between approval and implementation.
 *
 * A transition has one XState guard, `passes`, whose parameters name the
 * domain guards it needs; `decide` (decide.ts) supplies an implementation that
 * evaluates each of them once and keeps every failure.
 */
export interface MachineContext {
  project: ProjectState;
  rules: WorkflowRules;
}

export interface PassesParams {
  guards: GuardRef[];
}

const passes = ({ context, event }: { context: MachineContext; event: WorkflowEvent }, { guards }: PassesParams) =>
  guards.every((ref) => evaluateGuard(ref, { ...context, event }) === undefined);

const record = (name: ActionName) =>
  assign<MachineContext, WorkflowEvent, undefined, WorkflowEvent, never>(({ context, event }) => ({
    project: { ...context.project, record: { ...context.project.record, ...recorders[name](context.project, event) } },
  }));

export const pipeline = setup({
  types: { context: {} as MachineContext, events: {} as WorkflowEvent, input: {} as MachineContext },
  guards: { passes },
  actions: Object.fromEntries(Object.keys(recorders).map((name) => [name, record(name as ActionName)])) as Record<ActionName, ReturnType<typeof record>>,
});

/** A transition: where it goes (none: it stays), every guard that must pass, what it records. */
export function step(target: Stage | null, guards: GuardRef[], actions: ActionName[] = []) {
  return {
    ...(target ? { target } : {}),
    guard: { type: 'passes' as const, params: { guards } satisfies PassesParams },
    actions,
  };
}

const documentsAccepted = (stage: 'draft' | 'preliminary'): GuardRef => ({ type: 'documentsAccepted', params: { stage } });

/** A stage as the machine states it; its description is the stage's name in the vocabulary. */
export const stageOf = <T extends object>(channel: Channel, stage: Stage, config: T) => ({ description: stageLabel(stage, channel), ...config });

/** From the first draft to the higher level's decision. */
export const intakeStages = (channel: Channel, submitFromPreliminary: GuardRef[]) => ({
  draft: stageOf(channel, 'draft', {
    on: {
      SUBMIT: step('reserve_review', ['byOwner', documentsAccepted('draft'), 'fundingAddsUp']),
      WITHDRAW: step('withdrawn', ['byOwner']),
    },
  }),
  reserve_review: stageOf(channel, 'reserve_review', {
    on: {
      APPROVE: step('reserve', ['byStaff']),
      RETURN: step('draft', ['byStaff', 'hasReason']),
      REJECT: step('rejected', ['byStaff', 'hasReason']),
    },
  }),
  reserve: stageOf(channel, 'reserve', {
    on: {
      START_PRELIMINARY: step('preliminary', ['byOwnerOrStaff']),
      REMOVE: step('removed', ['byStaff', 'hasReason']),
    },
  }),
  preliminary: stageOf(channel, 'preliminary', {
    on: {
      SUBMIT: step('application_review', ['byOwner', documentsAccepted('preliminary'), ...submitFromPreliminary]),
      WITHDRAW: step('withdrawn', ['byOwner']),
    },
  }),
  application_review: stageOf(channel, 'application_review', {
    on: {
      APPROVE: step('submitted', ['byStaff'], ['recordApplication']),
      RETURN: step('preliminary', ['byStaff', 'hasReason']),
    },
  }),
  submitted: stageOf(channel, 'submitted', {
    on: {
      RECORD_APPROVAL: step('approved', ['byStaff'], ['recordApproval']),
      // Not chosen this round: back to the reserve to wait for the next one.
      RECORD_REJECTION: step('reserve', ['byStaff', 'hasReason']),
    },
  }),
});

/** From the start of works to the performance evaluation, and the final stages. */
export const deliveryStages = (channel: Channel) => ({
  implementation: stageOf(channel, 'implementation', {
    on: {
      RECORD_DISBURSEMENT: step(null, ['byStaff', 'disbursementWithinSecured'], ['recordDisbursement']),
      RECORD_PROGRESS: step(null, ['byStaff'], ['recordProgress']),
      COMPLETE: step('completed', ['byStaff'], ['recordCompletion']),
    },
  }),
  completed: stageOf(channel, 'completed', {
    on: {
      EVALUATE: step('evaluated', ['byStaff', 'hasPerformanceTargets', 'scoresMatchTargets'], ['recordEvaluation']),
    },
  }),
  evaluated: stageOf(channel, 'evaluated', { type: 'final' as const }),
  rejected: stageOf(channel, 'rejected', { type: 'final' as const }),
  removed: stageOf(channel, 'removed', { type: 'final' as const }),
  withdrawn: stageOf(channel, 'withdrawn', { type: 'final' as const }),
});
