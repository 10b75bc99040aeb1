/**
 * Words users read for the API's keys. Channel, stage, field and event names
 * come from the service's own vocabulary (workflows/stages.ts), which the PDF
 * and ledgers use too, so the screens cannot disagree with them.
 */
import { channelLabels, eventLabels, fieldLabels, stageLabels, type Channel, type Field, type Stage } from '../../workflows/stages';

export { channelLabels, fieldLabels, stageLabels };
export type { Channel, Field, Stage };

export const channelShort: Record<Channel, string> = { central_budget: '中央预算内', special_bond: '专项债券' };

export const roleLabels: Record<string, string> = { owner: '项目单位', staff: '发改局工作人员', leader: '领导', admin: '系统管理员' };

/** Where the same event means different things, the stage it leaves says which. */
const eventLabelsByStage: Record<string, string> = {
  'draft:SUBMIT': '提交入库申请',
  'preliminary:SUBMIT': '提交申报',
  'reserve_review:APPROVE': '同意入库',
  'application_review:APPROVE': '同意上报',
};

export function eventLabel(event: string, stage?: string): string {
  return (stage && eventLabelsByStage[`${stage}:${event}`]) ?? eventLabels[event] ?? event;
}

/** Events whose sender must give a reason (domain.md). */
export const reasonEvents = ['RETURN', 'REJECT', 'REMOVE', 'RECORD_REJECTION'];

/** Events that end or send back a project: shown as warnings, not as the way forward. */
export const dangerEvents = ['RETURN', 'REJECT', 'REMOVE', 'RECORD_REJECTION', 'WITHDRAW'];

export const documentStateLabels: Record<string, string> = { missing: '未上传', pending: '待审核', accepted: '已通过', rejected: '已退回' };

export const documentStateTypes: Record<string, 'info' | 'warning' | 'success' | 'danger'> = {
  missing: 'info',
  pending: 'warning',
  accepted: 'success',
  rejected: 'danger',
};

const stageTagTypes: Partial<Record<Stage, 'primary' | 'success' | 'warning' | 'danger' | 'info'>> = {
  draft: 'info',
  reserve_review: 'warning',
  application_review: 'warning',
  approved: 'success',
  issued: 'success',
  implementation: 'primary',
  completed: 'success',
  evaluated: 'success',
  rejected: 'danger',
  removed: 'danger',
  withdrawn: 'info',
};

export const stageTagType = (stage: Stage) => stageTagTypes[stage] ?? 'primary';

export const reviewStages: Stage[] = ['reserve_review', 'application_review'];
