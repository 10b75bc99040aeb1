import { Types } from 'mongoose';
import type { Channel, Field, Stage } from '../../workflows/stages';

/** Which projects a report covers: the whole district, or one organisation, field or channel. */
export interface ReportScope {
  orgId?: string;
  field?: Field;
  channel?: Channel;
}

/**
 * Projects that dropped out (不予入库, 出库, 撤回) count in no figure, not even for
 * the rounds they went through before they left.
 */
export const droppedStages: readonly Stage[] = ['rejected', 'removed', 'withdrawn'];

export function scopeMatch(scope: ReportScope): Record<string, unknown> {
  return {
    ...(scope.orgId ? { orgId: new Types.ObjectId(scope.orgId) } : {}),
    ...(scope.field ? { field: scope.field } : {}),
    ...(scope.channel ? { channel: scope.channel } : {}),
  };
}
