import type { Evaluation, Financing, FundingPlan, Grade, PerformanceTarget, WorkflowRecord } from './project-state';
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

/** The quota a special-bond project may issue against (the amount in the higher level's decision). */
export const bondQuota = (record: WorkflowRecord): number => record.approval?.amount ?? 0;

/** Central plans secure the released amount; bonds secure what was actually issued. */
export function securedFunds(channel: Channel, record: WorkflowRecord): number {
  return channel === 'special_bond' ? sumAmounts(record.issuances) : (record.approval?.amount ?? 0);
}

export const disbursedFunds = (record: WorkflowRecord): number => sumAmounts(record.disbursements);

/** "Secured in Y": the plan released in Y (central budget), the bonds issued in Y (special bonds). */
export function securedInYear(channel: Channel, record: WorkflowRecord, year: number): number {
  if (channel === 'special_bond') return sumAmounts(record.issuances.filter((i) => i.year === year));
  return record.approval?.year === year ? record.approval.amount : 0;
}

/** Whether the project counts among the projects with funds secured in Y (any amount recorded in Y). */
export function hasSecuredInYear(channel: Channel, record: WorkflowRecord, year: number): boolean {
  return channel === 'special_bond' ? record.issuances.some((i) => i.year === year) : record.approval?.year === year;
}

/** "Applied in Y": the amount requested at the project's latest forwarding upward in Y, if any. */
export function appliedInYear(record: WorkflowRecord, year: number): number | undefined {
  return record.applications.find((a) => a.year === year && a.latestInYear)?.requestedAmount;
}

/** The years a project has applied or secured funds in. */
export function moneyYears(channel: Channel, record: WorkflowRecord): number[] {
  const years = record.applications.map((a) => a.year);
  if (channel === 'special_bond') years.push(...record.issuances.map((i) => i.year));
  else if (record.approval) years.push(record.approval.year);
  return [...new Set(years)];
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
