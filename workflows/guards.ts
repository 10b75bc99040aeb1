import { z } from 'zod';
import { fieldErrorsOf, type FieldError } from '../src/shared/problem';
import type { WorkflowContext, WorkflowEvent } from './context';
import { dataOf as data, eventData, hasDataSchema } from './event-data';
import { rules } from './rules';
import type { Role } from '../src/accounts/current-user';

/**
 * The named guards of both machines. Each check explains why it fails, so the
 * service can answer 403 (role), 422 with `missing` (documents) or 422 with
 * `errors` (data); the machines use them as plain yes/no guards.
 */
export type GuardFailure =
  | { kind: 'forbidden'; detail: string }
  | { kind: 'missing'; detail: string; missing: string[] }
  | { kind: 'invalid'; detail: string; errors: FieldError[] };

type Check<P = undefined> = (context: WorkflowContext, event: WorkflowEvent, params: P) => GuardFailure | undefined;

const byRoles = (allowed: Role[], detail: string): Check => (_c, event) =>
  allowed.includes(event.actor.role) ? undefined : { kind: 'forbidden', detail };

const invalid = (path: string, message: string): GuardFailure => ({ kind: 'invalid', detail: message, errors: [{ path, message }] });

const sum = (items: { amount: number }[]) => items.reduce((total, item) => total + item.amount, 0);

/** Central plans secure the released amount; bonds secure what was actually issued. */
export function securedFunds(context: WorkflowContext): number {
  return context.channel === 'special_bond' ? sum(context.record.issuances) : (context.record.approval?.amount ?? 0);
}

export function coverageRatio(financing: WorkflowContext['facts']['financing']): number | undefined {
  return financing && financing.debtService > 0 ? financing.projectedRevenue / financing.debtService : undefined;
}

function missingDocuments(context: WorkflowContext, required: string[]): string[] {
  return required.filter((type) => !context.facts.acceptedDocuments.includes(type));
}


export const checks = {
  byOwner: byRoles(['owner'], '此操作只能由项目单位办理'),
  byStaff: byRoles(['staff'], '此操作只能由发改部门工作人员办理'),
  byOwnerOrStaff: byRoles(['owner', 'staff'], '此操作只能由项目单位或发改部门办理'),

  hasReason: (_c, event) => (event.reason?.trim() ? undefined : invalid('reason', '请填写理由')),

  hasValidData: (_c, event) => {
    if (!hasDataSchema(event.type)) return undefined;
    const parsed = eventData[event.type].safeParse(event.data);
    if (parsed.success) return undefined;
    return { kind: 'invalid', detail: z.prettifyError(parsed.error), errors: fieldErrorsOf(parsed.error.issues, ['data']) };
  },

  requiredDocumentsAccepted: ((context, _event, params) => {
    const missing = missingDocuments(context, rules.requiredDocuments[context.channel][params.stage]);
    return missing.length ? { kind: 'missing', detail: '以下必备材料尚未通过审核', missing } : undefined;
  }) as Check<{ stage: 'draft' | 'preliminary' }>,

  yiJianSanZhengIfRequired: (context) => {
    if (!rules.yiJianSanZheng.blocksSubmit) return undefined;
    const missing = missingDocuments(context, rules.yiJianSanZheng.documents);
    return missing.length ? { kind: 'missing', detail: '尚未达到“一件三证”条件', missing } : undefined;
  },

  fundingAddsUp: (context) =>
    context.facts.fundingTotal === context.facts.totalInvestment
      ? undefined
      : invalid('funding', '资金筹措方案合计与总投资不一致'),

  coverageReached: (context) => {
    const ratio = coverageRatio(context.facts.financing);
    if (ratio === undefined) return invalid('financing', '请填写项目收益与债券本息，以测算本息覆盖倍数');
    return ratio >= rules.coverageThreshold
      ? undefined
      : invalid('financing', `本息覆盖倍数 ${ratio.toFixed(2)} 低于要求的 ${rules.coverageThreshold}`);
  },

  issuanceWithinQuota: (context, event) => {
    const quota = context.record.approval?.amount ?? 0;
    const after = sum(context.record.issuances) + data<'RECORD_ISSUANCE'>(event).amount;
    return after <= quota ? undefined : invalid('data.amount', `累计发行 ${after} 元将超过下达额度 ${quota} 元`);
  },

  disbursementWithinSecured: (context, event) => {
    const secured = securedFunds(context);
    const after = sum(context.record.disbursements) + data<'RECORD_DISBURSEMENT'>(event).amount;
    return after <= secured ? undefined : invalid('data.amount', `累计拨付 ${after} 元将超过到位资金 ${secured} 元`);
  },

  scoresMatchTargets: (context, event) => {
    const targets = context.facts.performanceTargets;
    if (targets.length === 0) return invalid('performanceTargets', '项目未设定绩效目标，无法评价');
    const scored = new Set(data<'EVALUATE'>(event).scores.map((s) => s.name));
    const unscored = targets.filter((t) => !scored.has(t.name)).map((t) => t.name);
    const unknown = [...scored].filter((name) => !targets.some((t) => t.name === name));
    if (unknown.length) return invalid('data.scores', `没有这些绩效指标：${unknown.join('、')}`);
    return unscored.length ? invalid('data.scores', `以下指标尚未评分：${unscored.join('、')}`) : undefined;
  },
} satisfies Record<string, Check<never>>;

export type GuardName = keyof typeof checks;

/** The guards that decide who may send an event, as opposed to whether it may pass now. */
export const roleGuards: readonly GuardName[] = ['byOwner', 'byStaff', 'byOwnerOrStaff'];
