import { z } from 'zod';
import { yiJianSanZheng } from './dossier';
import { messages } from './messages';
import { coverageRatio } from './money';
import type { Application, ProjectState, WorkflowRecord } from './project-state';
import { yuan } from './project-input';
import type { WorkflowRules } from './rules';
import { channelLabels, channels, stageLabel, type Channel, type Stage } from './vocabulary';
import { day } from './day-input';

/**
 * Application rounds (申报批次) and their plan drafts (计划草案), and the
 * three-year rolling plan of the reserve (docs/domain.md, "Application rounds").
 *
 * A round is opened by staff when the higher level calls for applications:
 * a channel, a year, a name, the higher level's deadline and, when it gave
 * one, a ceiling (控制额度). A project joins a round's draft by a change of
 * its own (a `ROUND` history entry naming the round and the amount asked this
 * time); the round's draft is the projects that name it. The amount is what
 * the forwarding upward records as applied, and the application keeps the
 * round, so "applied in Y" and the funds figures split by round.
 */
export const ROUND_EVENT = 'ROUND';

/** The round the funds figures name for what went up outside any round, and how it is shown. */
export const NO_ROUND = 'none';
export const noRoundLabel = '未编入批次';

export const roundStatuses = ['open', 'closed'] as const;
export type RoundStatus = (typeof roundStatuses)[number];
export const roundStatusLabels: Record<RoundStatus, string> = { open: '申报中', closed: '已关闭' };

/** A project's place in a round's draft: which round, and the amount asked this time (whole yuan). */
export interface RoundMembership {
  roundId: string;
  amount: number;
}

/** A project's round as its ROUND entries give it: the newest one's round and amount, none once it left. */
export function advanceRound(current: RoundMembership | undefined, entry: { event: string; data?: unknown }): RoundMembership | undefined {
  if (entry.event !== ROUND_EVENT) return current;
  const data = entry.data as { roundId?: string | null; amount?: number } | undefined;
  return data?.roundId && data.amount !== undefined ? { roundId: data.roundId, amount: data.amount } : undefined;
}

/** The stages in which staff may put a project in a round's draft or take it out: after forwarding, the draft is what went up. */
export const draftStages: readonly Stage[] = ['reserve', 'preliminary', 'application_review'];

/** The stages whose projects make up the reserve the draft is drawn from and the rolling plan shows. */
export const reserveStages: readonly Stage[] = ['reserve', 'preliminary', 'application_review'];

const year = z.number().int().min(2000).max(2100);

export const roundInput = z
  .object({
    channel: z.enum(channels),
    year,
    name: z.string().trim().min(2).max(100),
    deadline: day.describe('上级规定的申报截止日期（YYYY-MM-DD）'),
    notes: z.string().trim().max(2000).optional(),
    ceiling: yuan.positive(messages.amountPositive).optional().describe('上级下达的控制额度（元）；不填为不设额度'),
  })
  .meta({ id: 'RoundInput' });

export type RoundInput = z.output<typeof roundInput>;

export const roundPatch = z
  .object({
    name: z.string().trim().min(2).max(100).optional(),
    deadline: day.optional(),
    notes: z.string().trim().max(2000).optional(),
    ceiling: yuan.positive(messages.amountPositive).nullable().optional().describe('null 为取消控制额度'),
    expectedVersion: z.number().int().min(1),
  })
  .meta({ id: 'RoundPatch' });

export const draftLineInput = z
  .object({
    amount: yuan.positive(messages.amountPositive).describe('本次申请金额（元）'),
    expectedVersion: z.number().int().min(1).optional().describe('项目的版本号'),
  })
  .meta({ id: 'DraftLineInput' });

/** Why a project cannot join (or change its amount in) a round's draft now, and which field it is about; none when it can. */
export function draftRefusal(
  round: { id: string; name: string; channel: Channel; status: RoundStatus },
  project: Pick<ProjectState, 'channel' | 'stage' | 'requestedAmount'> & { round?: RoundMembership },
  amount: number,
  otherRoundName?: string,
): { path: 'projectId' | 'amount'; message: string } | undefined {
  const about = (message: string) => ({ path: 'projectId' as const, message });
  if (round.status === 'closed') return about(messages.roundClosed(round.name));
  if (project.channel !== round.channel) return about(messages.roundChannelMismatch(round.name, channelLabels[round.channel]));
  if (!draftStages.includes(project.stage)) {
    return about(project.round && project.round.roundId !== round.id && otherRoundName ? messages.roundInOtherRound(otherRoundName) : messages.roundStageRefused(stageLabel(project.stage, project.channel)));
  }
  if (amount > project.requestedAmount) return { path: 'amount', message: messages.roundAmountOverRequest(amount, project.requestedAmount) };
  return undefined;
}

/** Why a project cannot leave a round's draft now; none when it can. */
export function leaveRefusal(round: { id: string; name: string; status: RoundStatus }, project: Pick<ProjectState, 'stage' | 'channel'> & { round?: RoundMembership }): string | undefined {
  if (round.status === 'closed') return messages.roundClosed(round.name);
  if (project.round?.roundId !== round.id) return messages.roundNotMember;
  if (!draftStages.includes(project.stage)) return messages.roundFrozen;
  return undefined;
}

/** The draft's total against the ceiling: over by how much, if at all. */
export function draftTotals(amounts: readonly number[], ceiling: number | undefined) {
  const total = amounts.reduce((sum, amount) => sum + amount, 0);
  return { total, ceiling, left: ceiling === undefined ? undefined : ceiling - total, over: ceiling !== undefined && total > ceiling };
}

/** The refusal of a draft whose total would exceed the ceiling. */
export const ceilingRefusal = (total: number, ceiling: number | undefined): string | undefined =>
  ceiling !== undefined && total > ceiling ? messages.roundOverCeiling(total, ceiling) : undefined;

/**
 * How ready a project is to go up in a round: 一件三证, the coverage ratio
 * (special bonds), and the dossier the application needs (the documents
 * required before SUBMIT from `preliminary`, accepted). `gaps` says what is
 * missing, in words, so the round page can flag it before the deadline.
 */
export function roundReadiness(project: Pick<ProjectState, 'channel' | 'dossier' | 'financing'>, rules: WorkflowRules) {
  const badge = yiJianSanZheng(project.dossier, rules);
  const label = (type: string) => rules.documentTypes[type] ?? type;
  const dossierMissing = rules.requiredDocuments[project.channel].preliminary.filter((type) => project.dossier[type] !== 'accepted');
  const ratio = coverageRatio(project.financing);
  const coverage =
    project.channel === 'special_bond' ? { ratio: ratio === undefined ? undefined : Math.round(ratio * 100) / 100, threshold: rules.coverageThreshold, reached: ratio !== undefined && ratio >= rules.coverageThreshold } : undefined;
  const gaps: string[] = [];
  if (dossierMissing.length) gaps.push(`申报材料未齐：${dossierMissing.map(label).join('、')}`);
  if (coverage && !coverage.reached) gaps.push(coverage.ratio === undefined ? '未填写融资收益平衡' : `本息覆盖倍数 ${coverage.ratio} 未达到 ${coverage.threshold}`);
  if (!badge.complete) gaps.push(`未达到一件三证：缺${badge.missing.map(label).join('、')}`);
  return {
    yiJianSanZheng: { complete: badge.complete, missing: badge.missing },
    coverage,
    dossierComplete: dossierMissing.length === 0,
    dossierMissing,
    ready: gaps.length === 0,
    gaps,
  };
}

/** The application "applied in Y" counts for a project (its latest forwarding in Y), whose round the year's figure is split by. */
export const appliedApplication = (record: WorkflowRecord, year: number): Application | undefined =>
  record.applications.find((a) => a.year === year && a.latestInYear);

/** The round the project's secured funds are split by: the round of its latest forwarding, which the decision answered. */
export const securedRoundId = (record: WorkflowRecord): string | undefined => record.applications.at(-1)?.roundId;

/** The three years of the rolling plan (三年滚动投资计划) starting at `from`. */
export const rollingYears = (from: number): number[] => [from, from + 1, from + 2];

/**
 * The year a reserve project stands in the rolling plan: its planned year of
 * application (计划申报年度), a year already passed counting as the first, or
 * none when its unit has not said.
 */
export function rollingYearOf(applicationYear: number | undefined, from: number): number | undefined {
  if (applicationYear === undefined) return undefined;
  return Math.max(applicationYear, from);
}
