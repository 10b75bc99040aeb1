import type { AnyStateMachine } from 'xstate';
import { centralBudgetV1 } from './central-budget';
import { specialBondV1 } from './special-bond';
import type { Channel } from './stages';

/**
 * Every machine version ever released. A project keeps the version it started
 * on (README, "Changing a workflow"): add new versions here, never edit or drop old ones.
 */
export const machines: Record<string, AnyStateMachine> = {
  'central_budget@1': centralBudgetV1,
  'special_bond@1': specialBondV1,
};

const current: Record<Channel, string> = {
  central_budget: 'central_budget@1',
  special_bond: 'special_bond@1',
};

export function currentMachineVersion(channel: Channel): string {
  return current[channel];
}

export function machineFor(machineVersion: string): AnyStateMachine {
  const machine = machines[machineVersion];
  if (!machine) throw new Error(`unknown workflow version ${machineVersion}`);
  return machine;
}
