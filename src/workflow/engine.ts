import { transition } from 'xstate';
import { machineFor } from '../../workflows';
import type { WorkflowContext, WorkflowEvent, WorkflowRecord } from '../../workflows/context';
import { emptyRecord } from '../../workflows/context';
import { checks, roleGuards, type GuardFailure, type GuardName } from '../../workflows/guards';
import type { GuardRef, StepMeta } from '../../workflows/pipeline';
import type { Stage } from '../../workflows/stages';
import { acceptedDocumentTypes } from '../dossier/document.model';
import type { ProjectDoc } from '../projects/project.model';

/**
 * The pure side of the workflow: from a stored project and an event to the next
 * stage and record, with the machine the project started on. Nothing here
 * touches the database; no actor lives between requests.
 */
export type Decision =
  | { ok: true; from: Stage; to: Stage; record: WorkflowRecord }
  | { ok: false; failure: GuardFailure | { kind: 'illegal'; detail: string } };

export function contextOf(project: ProjectDoc): WorkflowContext {
  const f = project.funding;
  return {
    channel: project.channel,
    facts: {
      totalInvestment: project.totalInvestment,
      requestedAmount: project.requestedAmount,
      fundingTotal: f.centralBudget + f.specialBond + f.localFiscal + f.selfRaised + f.other,
      financing: project.financing ?? undefined,
      performanceTargets: project.performanceTargets ?? [],
      acceptedDocuments: acceptedDocumentTypes(project.documents ?? []),
    },
    record: {
      ...emptyRecord(),
      applications: project.applications ?? [],
      approval: project.approval ?? undefined,
      issuances: project.issuances ?? [],
      disbursements: project.disbursements ?? [],
      progress: project.progress ?? [],
      completion: project.completion ?? undefined,
      evaluation: project.evaluation ?? undefined,
    },
  };
}

type TransitionConfig = { meta: StepMeta };

/** The transition the project's current stage defines for this event, if any. */
function stepFor(project: ProjectDoc, type: string): TransitionConfig | undefined {
  const states = machineFor(project.machineVersion).config.states as Record<string, { on?: Record<string, TransitionConfig> }>;
  return states[project.stage]?.on?.[type];
}

/** Event types the current stage accepts at all, in the machine's order. */
export function eventsOfStage(project: ProjectDoc): string[] {
  const states = machineFor(project.machineVersion).config.states as Record<string, { on?: Record<string, unknown> }>;
  return Object.keys(states[project.stage]?.on ?? {});
}

function firstFailure(guards: GuardRef[], context: WorkflowContext, event: WorkflowEvent): GuardFailure | undefined {
  for (const guard of guards) {
    const [name, params] = typeof guard === 'string' ? [guard, undefined] : [guard.type, guard.params];
    const failure = (checks[name] as (c: WorkflowContext, e: WorkflowEvent, p: unknown) => GuardFailure | undefined)(context, event, params);
    if (failure) return failure;
  }
  return undefined;
}

export function decide(project: ProjectDoc, event: WorkflowEvent): Decision {
  const step = stepFor(project, event.type);
  if (!step) {
    return { ok: false, failure: { kind: 'illegal', detail: `当前阶段不能执行 ${event.type}` } };
  }
  const context = contextOf(project);
  const failure = firstFailure(step.meta.guards, context, event);
  if (failure) return { ok: false, failure };

  const machine = machineFor(project.machineVersion);
  const [next] = transition(machine, machine.resolveState({ value: project.stage, context }), event);
  return { ok: true, from: project.stage, to: next.value as Stage, record: (next.context as WorkflowContext).record };
}

/** What this user could do now: the buttons the UI offers. Data and documents are checked when sent. */
export function availableEvents(project: ProjectDoc, actor: WorkflowEvent['actor']): string[] {
  const context = contextOf(project);
  return eventsOfStage(project).filter((type) => {
    const whoMay = stepFor(project, type)!.meta.guards.filter((g) => roleGuards.includes(g as GuardName));
    return !firstFailure(whoMay, context, { type, actor, at: '', day: '' });
  });
}
