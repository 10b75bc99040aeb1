import { eventData, hasDataSchema } from '../../workflows/event-data';
import { guardLabel } from '../../workflows/guards';
import { currentMachineVersion, machineFor, stagesOf, transitionsOf, type WorkflowMachine } from '../../workflows/machines';
import { rules } from '../../workflows/rules-file';
import { channelLabels, channels, isReviewStage, stageLabel, type Channel } from '../../workflows/vocabulary';
import { z } from 'zod';

/** A Mermaid state diagram drawn from the machine itself, so it cannot disagree with it. */
function mermaid(machine: WorkflowMachine, channel: Channel): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${String(machine.config.initial)}`];
  for (const { stage } of stagesOf(machine)) lines.push(`  ${stage} : ${stageLabel(stage, channel)}`);
  for (const t of transitionsOf(machine)) lines.push(`  ${t.from} --> ${t.to} : ${t.event}`);
  for (const { stage, final } of stagesOf(machine)) if (final) lines.push(`  ${stage} --> [*]`);
  return lines.join('\n');
}

/** Each channel's workflow as its machine states it, with the settings in force. */
export function describeWorkflow(channel: Channel) {
  const version = currentMachineVersion(channel);
  const machine = machineFor(version);
  return {
    channel,
    label: channelLabels[channel],
    version,
    stages: stagesOf(machine).map(({ stage, final }) => ({
      key: stage,
      label: stageLabel(stage, channel),
      final,
      reviewTimeLimitWorkingDays: isReviewStage(stage) ? rules.reviewTimeLimits[stage] : undefined,
    })),
    transitions: transitionsOf(machine).map((t) => ({
      ...t,
      guards: t.guards.map(guardLabel),
      data: hasDataSchema(t.event) ? z.toJSONSchema(eventData[t.event]) : undefined,
    })),
    requiredDocuments: rules.requiredDocuments[channel],
    optionalDocuments: rules.optionalDocuments,
    documentTypes: rules.documentTypes,
    yiJianSanZheng: rules.yiJianSanZheng,
    projectCodeRequiredBeforeSubmit: rules.projectCode.requiredBeforeSubmit,
    coverageThreshold: channel === 'special_bond' ? rules.coverageThreshold : undefined,
    returnReasons: rules.returnReasons,
    diagram: { format: 'mermaid', source: mermaid(machine, channel) },
  };
}

let described: ReturnType<typeof describeWorkflow>[] | undefined;

/** The machines and settings are fixed for the life of the process, so they are described once. */
export const describeWorkflows = () => (described ??= channels.map(describeWorkflow));
