import { z } from 'zod';
import { IMPORT_EVENT } from './project-import';

/**
 * Who answers for a project (docs/domain.md, "Who answers for a project"):
 * the responsible leader (包联/挂联领导, a leader account), the responsible unit
 * with a named contact and phone, the assisting units (协办单位) and the
 * member of staff at the bureau who handles it. Staff set it; every change is
 * a RESPONSIBILITY entry of the project's history carrying the whole new
 * assignment, so the project's copy is a fold of its history like the trail
 * and the schedule.
 */
export interface Responsibility {
  leaderId?: string;
  unit?: string;
  contact?: string;
  phone?: string;
  assistingUnits?: string[];
  staffId?: string;
}

export const responsibilityFields = ['leaderId', 'unit', 'contact', 'phone', 'assistingUnits', 'staffId'] as const;
export type ResponsibilityField = (typeof responsibilityFields)[number];

export const responsibilityLabels: Record<ResponsibilityField, string> = {
  leaderId: '包联领导',
  unit: '责任单位',
  contact: '责任人',
  phone: '联系电话',
  assistingUnits: '协办单位',
  staffId: '发改局经办人',
};

/** The history entry's event, and what it carries. */
export const RESPONSIBILITY_EVENT = 'RESPONSIBILITY';

export interface ResponsibilityEntryData {
  /** The assignment after the change, whole. */
  responsibility: Responsibility;
  /** Each field that changed, before and after. */
  changes: { field: ResponsibilityField; from?: unknown; to?: unknown }[];
}

/** The responsibility after one more history entry; every other entry leaves it as it is. */
export function advanceResponsibility(current: Responsibility | undefined, entry: { event: string; data?: unknown }): Responsibility | undefined {
  // An imported project comes with the unit, contact and phone its ledger named (docs/domain.md, "Importing projects").
  if (entry.event === IMPORT_EVENT) return (entry.data as { responsibility?: Responsibility } | undefined)?.responsibility ?? current;
  if (entry.event !== RESPONSIBILITY_EVENT) return current;
  return (entry.data as ResponsibilityEntryData).responsibility;
}

/**
 * 首问负责制: the first member of staff to take a project's reviews handles
 * them from then on; handing them on to someone else, or leaving them with
 * nobody, needs a reason.
 */
export const handOnNeedsReason = (current: Responsibility | undefined, change: ResponsibilityChange): boolean =>
  current?.staffId !== undefined && change.staffId !== undefined && change.staffId !== current.staffId;

/** A change as staff send it: a field left out stays as it is, `null` clears it. */
export type ResponsibilityChange = { [K in ResponsibilityField]?: Responsibility[K] | null };

/** The assignment with `change` applied, empty fields left out, and what changed. */
export function applyResponsibility(current: Responsibility | undefined, change: ResponsibilityChange): ResponsibilityEntryData {
  const before: Responsibility = current ?? {};
  const after: Responsibility = { ...before };
  for (const field of responsibilityFields) {
    if (!(field in change) || change[field] === undefined) continue;
    const value = change[field];
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) delete after[field];
    else (after as Record<string, unknown>)[field] = value;
  }
  const changes = responsibilityFields
    .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .map((field) => ({ field, from: before[field], to: after[field] }));
  return { responsibility: after, changes };
}

/**
 * 挂联全覆盖: how many key projects of the year (a key-project level in its
 * plan) have a responsible leader, and how many have none.
 */
export function leaderCoverage(projects: readonly { keyLevel?: string; leaderId?: string }[]) {
  const key = projects.filter((p) => p.keyLevel !== undefined);
  const withLeader = key.filter((p) => p.leaderId !== undefined).length;
  return {
    keyProjects: key.length,
    withLeader,
    withoutLeader: key.length - withLeader,
    share: key.length ? withLeader / key.length : undefined,
  };
}

const objectId = z.string().regex(/^[0-9a-f]{24}$/, '编号格式不正确');
const text = (max: number) => z.string().trim().max(max);
/** A mobile number, or a landline with its area code and an optional extension. */
const phone = z
  .string()
  .trim()
  .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/, '请填写正确的手机号或座机号（如 13800000000、0571-88888888）');

/** What staff send; the API checks with it and the web form checks as people type. */
export const responsibilityInput = z
  .object({
    leaderId: objectId.nullable().optional().describe('包联领导（领导账号）；null 为取消'),
    unit: text(200).nullable().optional().describe('责任单位'),
    contact: text(50).nullable().optional().describe('责任人'),
    phone: phone.nullable().optional().describe('联系电话'),
    assistingUnits: z.array(text(200).min(1, '协办单位名称不能为空')).max(20, '协办单位最多 20 个').nullable().optional().describe('协办单位'),
    staffId: objectId.nullable().optional().describe('发改局经办人（工作人员账号）；null 为取消'),
    reason: text(500).optional().describe('转交或取消经办人时须说明的理由（首问负责制）'),
  })
  .meta({ id: 'ResponsibilityInput', description: '未填写的项保持不变，填 null 则清空' });
