import { z } from 'zod';
import { messages } from './messages';
import { yuan as wholeYuan } from './project-input';
import { day } from './day-input';

const yuan = wholeYuan.positive(messages.amountPositive);

/** The data each event carries (docs/domain.md, "Event data"); events not listed carry none. Unknown keys are dropped. */
export const eventData = {
  RECORD_APPROVAL: z.object({
    amount: yuan,
    year: z.number().int().min(2000).max(2100),
    docNo: z.string().trim().min(1).max(100),
    date: day,
    /** Special bonds: the district bond quota (地方专项债券额度) the quota is allocated from. */
    districtQuotaId: z.string().trim().min(1).max(50).optional(),
  }),
  RECORD_ISSUANCE: z.object({
    batch: z.string().trim().min(1).max(50),
    bondCode: z.string().trim().min(1).max(50),
    amount: yuan,
    termYears: z.number().int().min(1).max(50),
    rate: z.number().min(0).max(20).describe('票面利率（%）'),
    issueDate: day,
    /** The quota (1 = the approval, 2… the further quotas) it is issued against; the oldest with room when not named. */
    quota: z.number().int().min(1).max(1000).optional(),
  }),
  RECORD_DISBURSEMENT: z.object({ amount: yuan, date: day }),
  RECORD_PROGRESS: z.object({ percent: z.number().min(0).max(100), note: z.string().trim().min(1).max(2000) }),
  COMPLETE: z.object({ date: day }),
  EVALUATE: z.object({
    scores: z.array(z.object({ name: z.string().trim().min(1), score: z.number().min(0).max(100) })).min(1).max(50),
  }),
} as const;

export type EventWithData = keyof typeof eventData;
export type EventData<E extends EventWithData> = z.output<(typeof eventData)[E]>;

/** Own keys only: an event type such as `__proto__` or `constructor` names no schema. */
export function hasDataSchema(type: string): type is EventWithData {
  return Object.hasOwn(eventData, type);
}
