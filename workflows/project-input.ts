import { z } from 'zod';
import { fundingTotal, channelFundingSource } from './money';
import { targetCategories } from './project-state';
import { messages } from './messages';
import { channels, fields } from './vocabulary';
import { projectCode } from './project-code';

/**
 * What a project unit states about its project, and the rules across its
 * fields (docs/domain.md, "Money"): the API checks a new or edited project
 * with these schemas, and the web form checks as the user types with the same.
 */
/** An amount in whole yuan, as people type it in 万元: at most four decimals (one yuan). */
export const yuan = z.number().int(messages.amountPrecision).min(0, messages.amountNegative).max(messages.maxAmountYuan, messages.amountTooLarge);
const year = z.number().int().min(2000).max(2100);

export const fundingPlan = z
  .object({ centralBudget: yuan, specialBond: yuan, localFiscal: yuan, selfRaised: yuan, other: yuan })
  .meta({ id: 'FundingPlan', description: '资金筹措方案（元）' });

export const financing = z
  .object({
    projectedRevenue: yuan.describe('存续期项目收益（元）'),
    debtService: yuan.positive(messages.amountPositive).describe('存续期债券本息（元）'),
  })
  .meta({ id: 'Financing' });

export const performanceTarget = z
  .object({
    category: z.enum(targetCategories),
    name: z.string().trim().min(1).max(100),
    weight: z.number().min(0).max(100),
    target: z.string().trim().min(1).max(200),
  })
  .meta({ id: 'PerformanceTarget' });

export const projectFacts = z.object({
  channel: z.enum(channels),
  name: z.string().trim().min(2).max(200),
  projectCode: projectCode.optional(),
  field: z.enum(fields),
  location: z.string().trim().max(200).optional(),
  description: z.string().trim().max(5000).optional(),
  totalInvestment: yuan.positive(messages.amountPositive),
  requestedAmount: yuan,
  funding: fundingPlan,
  startYear: year,
  endYear: year,
  applicationYear: year.optional().describe('计划申报年度：三年滚动投资计划按此排列'),
  financing: financing.optional(),
  performanceTargets: z.array(performanceTarget).max(50).optional(),
});

export type ProjectFactsInput = z.output<typeof projectFacts>;

/** Rules across fields; they run on creation and on every edit's merged result. */
export function checkProjectRules(p: ProjectFactsInput, ctx: z.RefinementCtx): void {
  const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const total = fundingTotal(p.funding);
  if (total !== p.totalInvestment) issue(['funding'], messages.fundingMismatch(total, p.totalInvestment));
  if (p.endYear < p.startYear) issue(['endYear'], messages.endBeforeStart);
  if (p.requestedAmount > p.totalInvestment) issue(['requestedAmount'], messages.requestOverInvestment);
  if (p.requestedAmount > p.funding[channelFundingSource[p.channel]]) issue(['requestedAmount'], messages.requestOverChannelShare);
  const targets = p.performanceTargets ?? [];
  const weights = targets.reduce((sum, t) => sum + t.weight, 0);
  if (targets.length > 0 && Math.abs(weights - 100) > 1e-9) {
    issue(['performanceTargets'], messages.weightsNotHundred(weights));
  }
}

/** A whole project as its unit states it, every rule applied. */
export const validProjectFacts = projectFacts.superRefine(checkProjectRules);
