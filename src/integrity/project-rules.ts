/**
 * The rules one stored project must satisfy on its own, as pure functions of the
 * document: its version counts its history, its history is a walk the machine it
 * runs on allows, and its money never exceeds what was secured.
 */
import { machineFor } from '../../workflows';
import { securedFunds } from '../../workflows/guards';
import { contextOf } from '../workflow/engine';
import type { ProjectDoc } from '../projects/project.model';
import type { Violation } from './violation';

/** History entries that record a change to the project itself, never a move between stages. */
const RECORD_ONLY_EVENTS = new Set(['EDIT', 'DOCUMENT_UPLOAD', 'DOCUMENT_REVIEW']);

type StateConfig = { on?: Record<string, { target?: string | string[] } | undefined> };

function machineOf(project: ProjectDoc): { initial: string; states: Record<string, StateConfig> } | undefined {
  try {
    const { config } = machineFor(project.machineVersion);
    return { initial: String(config.initial), states: config.states as Record<string, StateConfig> };
  } catch {
    return undefined;
  }
}

/** Where `event` leads from `from` in the machine, or undefined when the machine has no such transition. */
function targetOf(states: Record<string, StateConfig>, from: string, event: string): string | undefined {
  const step = states[from]?.on?.[event];
  if (!step) return undefined;
  const target = Array.isArray(step.target) ? step.target[0] : step.target;
  return target ?? from;
}

/** Replays the history through the project's machine; every step the machine would refuse is a violation. */
export function historyViolations(project: ProjectDoc): Violation[] {
  const projectId = project._id.toString();
  const violation = (detail: string): Violation => ({ rule: 'history', projectId, detail });
  const machine = machineOf(project);
  if (!machine) return [violation(`未知的流程版本 ${project.machineVersion}`)];
  const history = project.history ?? [];
  const first = history[0];
  if (first?.event !== 'CREATE' || first.to !== machine.initial) {
    return [violation(`第 1 条记录应为 CREATE → ${machine.initial}，实为 ${first?.event ?? '（无）'} → ${first?.to ?? '（无）'}`)];
  }

  const found: Violation[] = [];
  let stage: string = machine.initial;
  history.slice(1).forEach((entry, i) => {
    const at = `第 ${i + 2} 条记录（${entry.event}）`;
    if (RECORD_ONLY_EVENTS.has(entry.event)) {
      if ((entry.from && entry.from !== stage) || (entry.to && entry.to !== stage)) {
        found.push(violation(`${at}不应改变阶段，却记为 ${entry.from} → ${entry.to}（当时阶段 ${stage}）`));
      }
      return;
    }
    if (entry.from !== stage) found.push(violation(`${at}记为从 ${entry.from} 出发，而当时阶段为 ${stage}`));
    const target = targetOf(machine.states, stage, entry.event);
    if (target === undefined) {
      found.push(violation(`${at}：阶段 ${stage} 不允许此事件`));
      stage = entry.to ?? stage;
      return;
    }
    if (entry.to !== target) found.push(violation(`${at}应到达 ${target}，却记为 ${entry.to}`));
    stage = entry.to ?? target;
  });
  if (stage !== project.stage) found.push(violation(`按记录应处于 ${stage}，而项目阶段为 ${project.stage}`));
  return found;
}

const sum = (items: { amount: number }[] | undefined) => (items ?? []).reduce((total, item) => total + item.amount, 0);

/** Issued bonds within the allocated quota; disbursements within the funds secured. */
export function moneyViolations(project: ProjectDoc): Violation[] {
  const projectId = project._id.toString();
  const found: Violation[] = [];
  const issued = sum(project.issuances);
  const quota = project.approval?.amount ?? 0;
  if (issued > quota) found.push({ rule: 'issuance-quota', projectId, detail: `累计发行 ${issued} 元超过下达额度 ${quota} 元` });
  const disbursed = sum(project.disbursements);
  const secured = securedFunds(contextOf(project));
  if (disbursed > secured) found.push({ rule: 'disbursement-secured', projectId, detail: `累计拨付 ${disbursed} 元超过到位资金 ${secured} 元` });
  return found;
}

export function projectViolations(project: ProjectDoc): Violation[] {
  const found: Violation[] = [];
  const entries = project.history?.length ?? 0;
  if (project.version !== entries) {
    found.push({ rule: 'version', projectId: project._id.toString(), detail: `版本号 ${project.version} 与记录条数 ${entries} 不一致` });
  }
  return [...found, ...historyViolations(project), ...moneyViolations(project)];
}
