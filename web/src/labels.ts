/**
 * Words users read for the API's keys: the domain core's vocabulary
 * (workflows/vocabulary.ts, workflows/roles.ts), which the PDF and ledgers use
 * too, so the screens cannot disagree with them; and how each state is tinted.
 */
import { channelLabels, channelShortLabels, eventLabel, fieldLabels, stageLabels, type Channel, type Field, type Stage } from '../../workflows/vocabulary';
import { roleLabels } from '../../workflows/roles';

export { channelLabels, channelShortLabels as channelShort, eventLabel, fieldLabels, roleLabels, stageLabels };
export type { Channel, Field, Stage };

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
