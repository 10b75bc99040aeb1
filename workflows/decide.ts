import { transition } from 'xstate';
import { eventData, hasDataSchema } from './event-data';
import { evaluateGuard, guardKind, type Failure, type GuardArgs, type WorkflowEvent } from './guards';
import { machineFor, transitionFor, type WorkflowMachine } from './machines';
import { messages } from './messages';
import type { MachineContext, PassesParams } from './pipeline';
import type { ProjectState, WorkflowRecord } from './project-state';
import type { WorkflowRules } from './rules';
import type { Stage } from './vocabulary';

/**
 * The one question the server asks before it changes a project: given the
 * project as it is and an event, where does it go and what does it record, or
 * why not? Every reason is given (each guard evaluated once), in Chinese.
 */
export type Refusal =
  | { kind: 'illegal'; message: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'blocked'; failures: Failure[] };

export type Decision =
  | {
      ok: true;
      from: Stage;
      to: Stage;
      record: WorkflowRecord;
      /** The event's reason and data as validated and normalised: what is stored, never what was sent. */
      reason?: string;
      data?: unknown;
    }
  | { ok: false; refusal: Refusal };

interface CheckedInput {
  event: WorkflowEvent;
  failures: Failure[];
}

/** An event's reason trimmed, its data parsed by its schema; data on an event that takes none is refused. */
function checkInput(event: WorkflowEvent, stage: Stage): CheckedInput {
  const reason = event.reason?.trim() || undefined;
  if (!hasDataSchema(event.type)) {
    const failures: Failure[] = event.data === undefined || event.data === null ? [] : [{ kind: 'invalid', path: 'data', message: messages.dataNotTaken(event.type, stage) }];
    return { event: { ...event, reason, data: undefined }, failures };
  }
  const parsed = eventData[event.type].safeParse(event.data);
  if (parsed.success) return { event: { ...event, reason, data: parsed.data }, failures: [] };
  const failures = parsed.error.issues.map((issue): Failure => ({ kind: 'invalid', path: ['data', ...issue.path].map(String).join('.'), message: issue.message }));
  return { event: { ...event, reason, data: undefined }, failures };
}

/**
 * The decision under way: its failures so far, and whether the event's data
 * passed its schema. XState's `transition` is synchronous, so one decision
 * runs at a time and the guard below can write here.
 */
let verdict: { failures: Failure[]; dataIsValid: boolean } | undefined;

/** The `passes` guard of the machines, evaluating each named guard once and keeping every failure. */
function judge({ context, event }: { context: MachineContext; event: WorkflowEvent }, { guards }: PassesParams): boolean {
  const current = verdict!;
  const args: GuardArgs = { ...context, event };
  // Guards that read the event's data wait for data that passed its schema.
  for (const ref of guards) {
    if (!current.dataIsValid && guardKind(ref) === 'data') continue;
    const failure = evaluateGuard(ref, args);
    if (failure) current.failures.push(failure);
  }
  return current.failures.length === 0;
}

/** Each machine version with `judge` as its guard, made once. */
const judged = new Map<string, WorkflowMachine>();

function judgedMachine(machineVersion: string): WorkflowMachine {
  let machine = judged.get(machineVersion);
  if (!machine) judged.set(machineVersion, (machine = machineFor(machineVersion).provide({ guards: { passes: judge } }) as WorkflowMachine));
  return machine;
}

export function decide(project: ProjectState, event: WorkflowEvent, rules: WorkflowRules): Decision {
  const spec = transitionFor(project.machineVersion, project.stage, event.type);
  if (!spec) return { ok: false, refusal: { kind: 'illegal', message: messages.illegalEvent(event.type, project.stage, project.channel) } };

  const input = checkInput(event, project.stage);
  const failures = [...input.failures];
  verdict = { failures, dataIsValid: input.failures.length === 0 };
  const machine = judgedMachine(project.machineVersion);
  const context: MachineContext = { project, rules };
  let next;
  try {
    [next] = transition(machine, machine.resolveState({ value: project.stage, context }), input.event);
  } finally {
    verdict = undefined;
  }

  const forbidden = failures.find((f) => f.kind === 'forbidden');
  if (forbidden) return { ok: false, refusal: { kind: 'forbidden', message: forbidden.message } };
  if (failures.length) return { ok: false, refusal: { kind: 'blocked', failures } };
  return {
    ok: true,
    from: project.stage,
    to: next.value as Stage,
    record: next.context.project.record,
    reason: input.event.reason,
    data: input.event.data,
  };
}
