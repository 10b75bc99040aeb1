import type { Evaluation, Financing, FundingPlan, Grade, Issuance, PerformanceTarget, Quota, Release, WorkflowRecord } from './project-state';
import type { Channel } from './vocabulary';

/**
 * The money rules (docs/domain.md, "Money"): amounts are whole yuan; what a
 * funding plan adds up to; what counts as funds applied for and secured in a
 * year; the coverage ratio of special bonds; the performance grade.
 */
export const fundingSources = ['centralBudget', 'specialBond', 'localFiscal', 'selfRaised', 'other'] as const satisfies readonly (keyof FundingPlan)[];

export const fundingSourceLabels: Record<keyof FundingPlan, string> = {
  centralBudget: '中央预算内投资',
  specialBond: '地方政府专项债券',
  localFiscal: '地方财政资金',
  selfRaised: '业主自筹',
  other: '其他资金',
};

/** The funding source a channel's request is drawn from. */
export const channelFundingSource: Record<Channel, keyof FundingPlan> = {
  central_budget: 'centralBudget',
  special_bond: 'specialBond',
};

export const sumAmounts = (items: readonly { amount: number }[] | undefined): number =>
  (items ?? []).reduce((total, item) => total + item.amount, 0);

export const fundingTotal = (funding: FundingPlan): number =>
  fundingSources.reduce((total, source) => total + funding[source], 0);

/**
 * The plan amounts released to a central-budget project, one per year it was
 * funded (docs/domain.md, "Money over several years"): the approval is release
 * 1, later releases follow. Each counts as secured in its own year.
 */
export function releasesOf(record: WorkflowRecord): Release[] {
  const { approval } = record;
  const first = approval ? [{ no: 1, year: approval.year, amount: approval.amount, docNo: approval.docNo, date: approval.date }] : [];
  return [...first, ...(record.releases ?? [])];
}

/** The bond quotas of a special-bond project: the approval is quota 1, further quotas follow. */
export function quotasOf(record: WorkflowRecord): Quota[] {
  const { approval } = record;
  const first = approval
    ? [{ no: 1, year: approval.year, amount: approval.amount, docNo: approval.docNo, date: approval.date, ...(approval.districtQuotaId ? { districtQuotaId: approval.districtQuotaId } : {}) }]
    : [];
  return [...first, ...(record.quotas ?? [])];
}

/** The quota an issuance went against; 1 (the approval) for those recorded before quotas were numbered. */
export const quotaOfIssuance = (issuance: Issuance): number => issuance.quota ?? 1;

/** A quota with what has been issued against it and what is left. */
export interface QuotaUse extends Quota {
  issued: number;
  left: number;
}

export function quotaUses(record: WorkflowRecord): QuotaUse[] {
  return quotasOf(record).map((quota) => {
    const issued = sumAmounts(record.issuances.filter((i) => quotaOfIssuance(i) === quota.no));
    return { ...quota, issued, left: quota.amount - issued };
  });
}

/** Every quota a special-bond project may issue against, added up (the approval and the further quotas). */
export const bondQuota = (record: WorkflowRecord): number => sumAmounts(quotasOf(record));

/**
 * The quota an issuance of `amount` goes against: the one named, else the
 * oldest with room for the whole amount (an issuance is never split); none
 * when no quota has room.
 */
export function issuanceQuota(record: WorkflowRecord, amount: number, named?: number): QuotaUse | undefined {
  const uses = quotaUses(record);
  if (named !== undefined) return uses.find((q) => q.no === named);
  return uses.find((q) => q.left >= amount);
}

/** An issuance as recorded: with its year, and the quota it goes against (the one named, else the oldest with room). */
export function issuanceOf(record: WorkflowRecord, data: Omit<Issuance, 'year' | 'quota'> & { quota?: number }): Issuance {
  const quota = issuanceQuota(record, data.amount, data.quota)?.no ?? 1;
  return { ...data, year: Number(data.issueDate.slice(0, 4)), quota };
}

/** Central plans secure every released amount; bonds secure what was actually issued. */
export function securedFunds(channel: Channel, record: WorkflowRecord): number {
  return channel === 'special_bond' ? sumAmounts(record.issuances) : sumAmounts(releasesOf(record));
}

export const disbursedFunds = (record: WorkflowRecord): number => sumAmounts(record.disbursements);

/** "Secured in Y": the plans released in Y (central budget), the bonds issued in Y (special bonds). */
export function securedInYear(channel: Channel, record: WorkflowRecord, year: number): number {
  if (channel === 'special_bond') return sumAmounts(record.issuances.filter((i) => i.year === year));
  return sumAmounts(releasesOf(record).filter((r) => r.year === year));
}

/** Whether the project counts among the projects with funds secured in Y (any amount recorded in Y). */
export function hasSecuredInYear(channel: Channel, record: WorkflowRecord, year: number): boolean {
  return channel === 'special_bond' ? record.issuances.some((i) => i.year === year) : releasesOf(record).some((r) => r.year === year);
}

/** "Applied in Y": the amount requested at the project's latest forwarding upward in Y, if any. */
export function appliedInYear(record: WorkflowRecord, year: number): number | undefined {
  return record.applications.find((a) => a.year === year && a.latestInYear)?.requestedAmount;
}

/** The years a project has applied or secured funds in. */
export function moneyYears(channel: Channel, record: WorkflowRecord): number[] {
  const years = record.applications.map((a) => a.year);
  if (channel === 'special_bond') years.push(...record.issuances.map((i) => i.year));
  else years.push(...releasesOf(record).map((r) => r.year));
  return [...new Set(years)];
}

/** What a project takes of each district bond quota it was allocated from, by the quota's id. */
export function districtAllocations(record: WorkflowRecord): Map<string, number> {
  const taken = new Map<string, number>();
  for (const quota of quotasOf(record)) {
    if (quota.districtQuotaId) taken.set(quota.districtQuotaId, (taken.get(quota.districtQuotaId) ?? 0) + quota.amount);
  }
  return taken;
}

/** 本息覆盖倍数: projected revenue over bond principal and interest; none until both are stated. */
export function coverageRatio(financing: Financing | undefined): number | undefined {
  return financing && financing.debtService > 0 ? financing.projectedRevenue / financing.debtService : undefined;
}

/** ≥90 优, ≥80 良, ≥60 中, else 差, applied to the total as rounded (one decimal). */
export function gradeOf(total: number): Grade {
  if (total >= 90) return '优';
  if (total >= 80) return '良';
  if (total >= 60) return '中';
  return '差';
}

/**
 * The weighted total of the scores (0–100), rounded to one decimal before it is
 * graded, so the grade shown is always the grade of the number shown.
 */
export function evaluationResult(targets: readonly PerformanceTarget[], scores: ReadonlyMap<string, number>): Pick<Evaluation, 'scores' | 'total' | 'grade'> {
  const scored = targets.map((t) => ({ name: t.name, category: t.category, weight: t.weight, score: scores.get(t.name) ?? 0 }));
  const weights = scored.reduce((total, s) => total + s.weight, 0);
  const weighted = weights > 0 ? scored.reduce((sum, s) => sum + s.score * s.weight, 0) / weights : 0;
  const total = Math.round(weighted * 10) / 10;
  return { scores: scored, total, grade: gradeOf(total) };
}
