import { z } from 'zod';
import { channels, fields, stages } from '../../workflows/stages';
import { objectId, pageQuery } from '../accounts/accounts.schemas';

const yuan = z.number().int('金额须为整数元').min(0, '金额不能为负数').max(1e13, '金额超出合理范围');
const year = z.number().int().min(2000, '年份不早于 2000 年').max(2100, '年份不晚于 2100 年');

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
    category: z.enum(['output', 'effect', 'satisfaction']),
    name: z.string().trim().min(1).max(100),
    weight: z.number().min(0).max(100),
    target: z.string().trim().min(1).max(200),
  })
  .meta({ id: 'PerformanceTarget' });

const projectFields = z.object({
  channel: z.enum(channels),
  name: z.string().trim().min(2, '项目名称至少 2 个字').max(200),
  field: z.enum(fields),
  orgId: objectId.optional(),
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

export type ProjectFields = z.output<typeof projectFields>;

const sumFunding = (f: ProjectFields['funding']) =>
  f.centralBudget + f.specialBond + f.localFiscal + f.selfRaised + f.other;

/** Rules across fields; they run on creation and on every edit's merged result. */
export function checkProjectRules(p: ProjectFields, ctx: z.RefinementCtx): void {
  const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (sumFunding(p.funding) !== p.totalInvestment) {
    issue(['funding'], `资金筹措合计 ${sumFunding(p.funding)} 元与总投资 ${p.totalInvestment} 元不一致`);
  }
  if (p.endYear < p.startYear) issue(['endYear'], '完工年份不能早于开工年份');
  if (p.requestedAmount > p.totalInvestment) issue(['requestedAmount'], '申请金额不能超过总投资');
  const channelShare = p.channel === 'central_budget' ? p.funding.centralBudget : p.funding.specialBond;
  if (p.requestedAmount > channelShare) {
    issue(['requestedAmount'], '申请金额不能超过资金筹措方案中该渠道的金额');
  }
  const targets = p.performanceTargets ?? [];
  const weights = targets.reduce((sum, t) => sum + t.weight, 0);
  if (targets.length > 0 && Math.abs(weights - 100) > 1e-9) {
    issue(['performanceTargets'], `绩效指标权重合计应为 100，当前为 ${weights}`);
  }
}

export const projectInput = projectFields.superRefine(checkProjectRules).meta({ id: 'ProjectInput' });

export const projectPatch = projectFields
  .omit({ channel: true, orgId: true })
  .partial()
  .extend({ expectedVersion: z.number().int().min(1) })
  .meta({ id: 'ProjectPatch' });

export const projectListQuery = pageQuery.extend({
  channel: z.enum(channels).optional(),
  stage: z.enum(stages).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  orgId: objectId.optional(),
  field: z.enum(fields).optional(),
  q: z.string().trim().max(100).optional(),
});

export const historyEntryView = z
  .object({
    at: z.string(),
    actorId: z.string(),
    actorName: z.string(),
    role: z.string(),
    orgId: z.string().optional(),
    event: z.string(),
    from: z.string().optional(),
    to: z.string().optional(),
    reason: z.string().optional(),
    data: z.unknown().optional(),
  })
  .meta({ id: 'HistoryEntry' });

export const projectView = projectFields
  .extend({
    id: z.string(),
    orgId: z.string(),
    orgName: z.string().optional(),
    stage: z.enum(stages),
    version: z.number().int(),
    machineVersion: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .loose()
  .meta({ id: 'Project' });
