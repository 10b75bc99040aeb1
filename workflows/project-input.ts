import { z } from 'zod';
import { fundingTotal, channelFundingSource } from './money';
import { targetCategories } from './project-state';
import { messages } from './messages';
import { channels, fields } from './vocabulary';

/**
 * What a project unit states about its project, and the rules across its
 * fields (docs/domain.md, "Money"): the API checks a new or edited project
 * with these schemas, and the web form checks as the user types with the same.
 */
const yuan = z.number().int('金额须为整数元').min(0, '金额不能为负数').max(1e13, '金额超出合理范围');
const year = z.number().int('年份须为整数').min(2000, '年份不早于 2000 年').max(2100, '年份不晚于 2100 年');

export const fundingPlan = z
  .object({ centralBudget: yuan, specialBond: yuan, localFiscal: yuan, selfRaised: yuan, other: yuan })
  .meta({ id: 'FundingPlan', description: '资金筹措方案（元）' });

export const financing = z
  .object({
    projectedRevenue: yuan.describe('存续期项目收益（元）'),
    debtService: yuan.positive('还本付息额须大于 0').describe('存续期债券本息（元）'),
  })
  .meta({ id: 'Financing' });

export const performanceTarget = z
  .object({
    category: z.enum(targetCategories),
    name: z.string().trim().min(1, '请填写指标名称').max(100),
    weight: z.number().min(0).max(100),
    target: z.string().trim().min(1, '请填写目标值').max(200),
  })
  .meta({ id: 'PerformanceTarget' });

export const projectFacts = z.object({
  channel: z.enum(channels),
  name: z.string().trim().min(2, '项目名称至少 2 个字').max(200),
  field: z.enum(fields),
  location: z.string().trim().max(200).optional(),
  description: z.string().trim().max(5000).optional(),
  totalInvestment: yuan.positive('总投资须大于 0'),
  requestedAmount: yuan,
  funding: fundingPlan,
  startYear: year,
  endYear: year,
  financing: financing.optional(),
  performanceTargets: z.array(performanceTarget).max(50).optional(),
});

export type ProjectFactsInput = z.output<typeof projectFacts>;

/** Rules across fields; they run on creation and on every edit's merged result. */
export function checkProjectRules(p: ProjectFactsInput, ctx: z.RefinementCtx): void {
  const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const total = fundingTotal(p.funding);
  if (total !== p.totalInvestment) issue(['funding'], messages.fundingMismatch(total, p.totalInvestment));
  if (p.endYear < p.startYear) issue(['endYear'], '完工年份不能早于开工年份');
  if (p.requestedAmount > p.totalInvestment) issue(['requestedAmount'], '申请金额不能超过总投资');
  if (p.requestedAmount > p.funding[channelFundingSource[p.channel]]) {
    issue(['requestedAmount'], '申请金额不能超过资金筹措方案中该渠道的金额');
  }
  const targets = p.performanceTargets ?? [];
  const weights = targets.reduce((sum, t) => sum + t.weight, 0);
  if (targets.length > 0 && Math.abs(weights - 100) > 1e-9) {
    issue(['performanceTargets'], `绩效指标权重合计应为 100，当前为 ${weights}`);
  }
}

/** A whole project as its unit states it, every rule applied. */
export const validProjectFacts = projectFacts.superRefine(checkProjectRules);
