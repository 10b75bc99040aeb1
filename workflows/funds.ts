import { z } from 'zod';
import { eventData } from './event-data';
import { messages } from './messages';
import { amountText } from './units';
import { bondQuota, issuanceOf, issuanceQuota, quotasOf, quotaUses, releasesOf, sumAmounts } from './money';
import type { ProjectState, WorkflowRecord } from './project-state';
import { yuan as wholeYuan } from './project-input';
import type { Actor } from './roles';
import { channelLabels, stageLabel, type Channel, type Stage } from './vocabulary';
import { day } from './day-input';

/**
 * Money over several years (docs/domain.md, "Money over several years"): after
 * the approval, a continuing central-budget project receives plan amounts in
 * later years (再次下达), a special-bond project further quotas (额度) and
 * issuances against each. These are changes to the project's record, not moves
 * between stages: each is a history entry of its own (`FUNDS_*`), and the
 * record is the fold of the approval and those entries.
 */
export const fundsKinds = ['release', 'quota', 'issuance'] as const;
export type FundsKind = (typeof fundsKinds)[number];

/** The history entry each kind is recorded as. */
export const fundsEvents = { release: 'FUNDS_RELEASE', quota: 'FUNDS_QUOTA', issuance: 'FUNDS_ISSUANCE' } as const satisfies Record<FundsKind, string>;
export const fundsEventNames: readonly string[] = Object.values(fundsEvents);

export const fundsLabels: Record<FundsKind, string> = {
  release: '登记追加下达的投资计划',
  quota: '登记追加的专项债券额度',
  issuance: '登记债券发行',
};

/**
 * Which channel takes each kind, and in which stages. An issuance in
 * `approved` or `issued` is the machine's RECORD_ISSUANCE (it moves the project
 * to `issued`); later, once works have started, it is recorded on its own.
 */
const fundsRules: Record<FundsKind, { channel: Channel; stages: readonly Stage[] }> = {
  release: { channel: 'central_budget', stages: ['approved', 'implementation', 'completed'] },
  quota: { channel: 'special_bond', stages: ['approved', 'issued', 'implementation', 'completed'] },
  issuance: { channel: 'special_bond', stages: ['approved', 'issued', 'implementation', 'completed'] },
};

/** The stages in which an issuance is the machine's RECORD_ISSUANCE event. */
export const issuanceByEventStages: readonly Stage[] = ['approved', 'issued'];

const yuan = wholeYuan.positive(messages.amountPositive);
const year = z.number().int().min(2000).max(2100);
const docNo = z.string().trim().min(1).max(100);

/** What each kind carries. */
export const fundsData = {
  release: z.object({ year, amount: yuan, docNo, date: day }),
  quota: z.object({ year, amount: yuan, docNo, date: day, districtQuotaId: z.string().trim().min(1).max(50).optional() }),
  issuance: eventData.RECORD_ISSUANCE,
} as const;

export type FundsData<K extends FundsKind> = z.output<(typeof fundsData)[K]>;

export type FundsRefusal =
  | { kind: 'forbidden'; message: string }
  | { kind: 'illegal'; message: string }
  | { kind: 'invalid'; errors: { path: string; message: string }[] };

/** Why this user may not record this kind on the project now (role, channel, stage); nothing when they may. */
export function fundsClosed(project: Pick<ProjectState, 'channel' | 'stage' | 'record'>, actor: Actor, kind: FundsKind): FundsRefusal | undefined {
  if (actor.role !== 'staff') return { kind: 'forbidden', message: messages.onlyStaff };
  const rule = fundsRules[kind];
  if (project.channel !== rule.channel) return { kind: 'illegal', message: messages.fundsChannelOnly(fundsLabels[kind], channelLabels[rule.channel]) };
  if (!rule.stages.includes(project.stage)) return { kind: 'illegal', message: messages.fundsStageClosed(fundsLabels[kind], stageLabel(project.stage, project.channel)) };
  if (!project.record.approval) return { kind: 'illegal', message: messages.noFirstApproval };
  return undefined;
}

/** The kinds this user may record on the project now. */
export const fundsOpen = (project: Pick<ProjectState, 'channel' | 'stage' | 'record'>, actor: Actor): FundsKind[] =>
  fundsKinds.filter((kind) => !fundsClosed(project, actor, kind));

/** Why an issuance of `amount` (against the quota named, if any) may not be recorded; nothing when it may. */
export function issuanceProblem(record: WorkflowRecord, amount: number, named?: number): { path: string; message: string } | undefined {
  const uses = quotaUses(record);
  const quota = issuanceQuota(record, amount, named);
  if (named !== undefined && !quota) return { path: 'data.quota', message: messages.noSuchQuota(named) };
  if (quota && quota.left >= amount) return undefined;
  if (uses.length <= 1) return { path: 'data.amount', message: messages.overQuota(sumAmounts(record.issuances) + amount, bondQuota(record)) };
  if (quota) return { path: 'data.amount', message: messages.overNamedQuota(quota.no, quota.year, quota.issued + amount, quota.amount) };
  return { path: 'data.amount', message: messages.noQuotaWithRoom(amount, uses.map((q) => `第${q.no}笔 ${amountText(q.left)}`).join('，')) };
}

const docNos = (record: WorkflowRecord) => new Set([...releasesOf(record), ...quotasOf(record)].map((r) => r.docNo));

/** What is wrong with the data of a release, quota or issuance for this project (its district quota is the server's to check). */
export function fundsDataProblems<K extends FundsKind>(record: WorkflowRecord, kind: K, data: FundsData<K>): { path: string; message: string }[] {
  if (kind === 'issuance') {
    const issuance = data as FundsData<'issuance'>;
    const problem = issuanceProblem(record, issuance.amount, issuance.quota);
    return problem ? [problem] : [];
  }
  const given = data as FundsData<'release' | 'quota'>;
  const problems: { path: string; message: string }[] = [];
  const firstYear = record.approval?.year;
  if (firstYear !== undefined && given.year < firstYear) problems.push({ path: 'data.year', message: messages.yearBeforeApproval(firstYear) });
  if (docNos(record).has(given.docNo)) problems.push({ path: 'data.docNo', message: messages.docNoRecorded(given.docNo) });
  return problems;
}

/** The record after the release, quota or issuance: releases and quotas are numbered after the approval (1). */
export function recordFunds<K extends FundsKind>(record: WorkflowRecord, kind: K, data: FundsData<K>): Pick<WorkflowRecord, 'releases' | 'quotas' | 'issuances'> {
  const { releases, quotas, issuances } = record;
  if (kind === 'release') {
    const { year, amount, docNo, date } = data as FundsData<'release'>;
    return { releases: [...releases, { no: releasesOf(record).length + 1, year, amount, docNo, date }], quotas, issuances };
  }
  if (kind === 'quota') {
    const { year, amount, docNo, date, districtQuotaId } = data as FundsData<'quota'>;
    return { releases, quotas: [...quotas, { no: quotasOf(record).length + 1, year, amount, docNo, date, ...(districtQuotaId ? { districtQuotaId } : {}) }], issuances };
  }
  return { releases, quotas, issuances: [...issuances, issuanceOf(record, data as FundsData<'issuance'>)] };
}

/** The item a FUNDS_* history entry holds: the release, quota or issuance as recorded. */
export function recordedItem(before: WorkflowRecord, after: Pick<WorkflowRecord, 'releases' | 'quotas' | 'issuances'>, kind: FundsKind): unknown {
  if (kind === 'release') return after.releases.at(-1);
  if (kind === 'quota') return after.quotas.at(-1);
  return after.issuances[before.issuances.length];
}
