import type { AnyStateMachine } from 'xstate';
import { currentMachineVersion, machineFor } from '../../workflows';
import type { StepMeta } from '../../workflows/pipeline';
import { rules } from '../../workflows/rules';
import { channelLabels, channels, stageLabels, type Channel, type Stage } from '../../workflows/stages';

interface StateConfig {
  type?: string;
  description?: string;
  on?: Record<string, { target?: string; actions?: string[]; meta: StepMeta }>;
}

function transitionsOf(machine: AnyStateMachine) {
  const states = machine.config.states as Record<string, StateConfig>;
  return Object.entries(states).flatMap(([from, state]) =>
    Object.entries(state.on ?? {}).map(([event, step]) => ({
      from,
      event,
      to: step.target ?? from,
      guards: step.meta.guards.map((g) => (typeof g === 'string' ? g : `${g.type}(${g.params.stage})`)),
      actions: step.actions ?? [],
    })),
  );
}

/** A Mermaid state diagram drawn from the machine itself, so it cannot disagree with it. */
function mermaid(machine: AnyStateMachine): string {
  const states = machine.config.states as Record<string, StateConfig>;
  const lines = ['stateDiagram-v2', `  [*] --> ${machine.config.initial as string}`];
  for (const [name, state] of Object.entries(states)) lines.push(`  ${name} : ${state.description ?? name}`);
  for (const t of transitionsOf(machine)) lines.push(`  ${t.from} --> ${t.to} : ${t.event}`);
  for (const [name, state] of Object.entries(states)) if (state.type === 'final') lines.push(`  ${name} --> [*]`);
  return lines.join('\n');
}

export function describeWorkflow(channel: Channel) {
  const version = currentMachineVersion(channel);
  const machine = machineFor(version);
  const states = machine.config.states as Record<string, StateConfig>;
  return {
    channel,
    label: channelLabels[channel],
    version,
    stages: Object.entries(states).map(([key, state]) => ({
      key,
      label: stageLabels[key as Stage] ?? state.description,
      final: state.type === 'final',
      reviewTimeLimitWorkingDays: rules.reviewTimeLimits[key as keyof typeof rules.reviewTimeLimits],
    })),
    transitions: transitionsOf(machine),
    requiredDocuments: rules.requiredDocuments[channel],
    optionalDocuments: rules.optionalDocuments,
    documentTypes: rules.documentTypes,
    yiJianSanZheng: rules.yiJianSanZheng,
    coverageThreshold: channel === 'special_bond' ? rules.coverageThreshold : undefined,
    diagram: { format: 'mermaid', source: mermaid(machine) },
  };
}

export const describeWorkflows = () => channels.map(describeWorkflow);
