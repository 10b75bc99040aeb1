import { centralBudgetV1, centralBudgetV2 } from './central-budget';
import type { ActionName } from './actions';
import { guardKind, type GuardRef } from './guards';
import type { PassesParams } from './pipeline';
import { specialBondV1, specialBondV2 } from './special-bond';
import type { Channel, Stage } from './vocabulary';

/**
 * Every machine version ever released. A project keeps the version it started
 * on (README, "Changing a workflow"): add new versions here, never edit or drop old ones.
 */
export type WorkflowMachine = typeof centralBudgetV1 | typeof specialBondV1 | typeof centralBudgetV2 | typeof specialBondV2;

const machines: Record<string, WorkflowMachine> = {
  'central_budget@1': centralBudgetV1,
  'special_bond@1': specialBondV1,
  'central_budget@2': centralBudgetV2,
  'special_bond@2': specialBondV2,
};

const current: Record<Channel, string> = {
  central_budget: 'central_budget@2',
  special_bond: 'special_bond@2',
};

export const currentMachineVersion = (channel: Channel): string => current[channel];

export const isKnownMachineVersion = (version: string): boolean => Object.hasOwn(machines, version);

export function machineFor(machineVersion: string): WorkflowMachine {
  if (!isKnownMachineVersion(machineVersion)) throw new Error(`unknown workflow version ${machineVersion}`);
  return machines[machineVersion]!;
}

/** One transition as the machine defines it. */
export interface TransitionSpec {
  from: Stage;
  event: string;
  /** Where it leads; the stage itself for events that only record. */
  to: Stage;
  guards: GuardRef[];
  actions: ActionName[];
}

type TransitionDefinition = WorkflowMachine['root']['on'][string][number];

function specOf(from: Stage, event: string, definition: TransitionDefinition): TransitionSpec {
  const guard = definition.guard as { params?: PassesParams } | undefined;
  return {
    from,
    event,
    to: (definition.target?.[0]?.key as Stage | undefined) ?? from,
    guards: guard?.params?.guards ?? [],
    actions: definition.actions.map((a) => (typeof a === 'string' ? a : (a as { type: string }).type) as ActionName),
  };
}

/** The stages of a machine in its own order, and whether each is final. */
export function stagesOf(machine: WorkflowMachine): { stage: Stage; final: boolean }[] {
  return Object.values(machine.states).map((node) => ({ stage: node.key as Stage, final: node.type === 'final' }));
}

/** The transitions a stage offers, in the machine's order. */
export function transitionsFrom(machine: WorkflowMachine, stage: Stage): TransitionSpec[] {
  const node = machine.states[stage as keyof typeof machine.states];
  if (!node) return [];
  return Object.entries(node.on).flatMap(([event, definitions]) => definitions.slice(0, 1).map((d) => specOf(stage, event, d)));
}

export const transitionsOf = (machine: WorkflowMachine): TransitionSpec[] =>
  stagesOf(machine).flatMap(({ stage }) => transitionsFrom(machine, stage));

export const transitionFor = (machineVersion: string, stage: Stage, event: string): TransitionSpec | undefined =>
  transitionsFrom(machineFor(machineVersion), stage).find((t) => t.event === event);

/** Whether sending this event needs a reason (退回、不予入库、出库、未获批复). */
export const needsReason = (t: Pick<TransitionSpec, 'guards'>): boolean => t.guards.some((g) => guardKind(g) === 'reason');

/** Whether the history entry of `event` from `from` was one that needed a reason: a project sent back or out. */
export const wasSentBack = (machineVersion: string, from: Stage, event: string): boolean => {
  const t = transitionFor(machineVersion, from, event);
  return t !== undefined && needsReason(t);
};
