import { z } from 'zod';
import { boardFields } from '../../workflows/rules';
import { ratings } from '../../workflows/rating';
import { channels, fields, stages } from '../../workflows/vocabulary';
import { objectId, pageQuery } from '../shared/schemas';
import { ledgerKinds } from './ledgers';
import { messages } from '../../workflows/messages';

const year = z.coerce.number().int().min(2000).max(2100);
const MAX_YEARS = 30;

export const scopeQuery = z.object({
  orgId: objectId.optional().describe('只看这个项目单位'),
  field: z.enum(fields).optional().describe('只看这个领域'),
});

export const fundsQuery = scopeQuery
  .extend({
    from: year.meta({ title: '起始年份' }).optional().describe('起始年份，默认为终止年份前四年'),
    to: year.meta({ title: '终止年份' }).optional().describe('终止年份，默认为今年'),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: messages.fromAfterTo, path: ['from'] })
  .refine((q) => q.from === undefined || q.to === undefined || q.to - q.from < MAX_YEARS, { message: messages.tooManyYears(MAX_YEARS), path: ['from'] });

const amount = z.number().int().describe('元');

export const fundsRow = z
  .object({
    year: z.number().int(),
    channel: z.enum(channels),
    appliedCount: z.number().int().describe('当年向上申报的项目数'),
    appliedAmount: amount.describe('当年向上申报的申请金额（元）'),
    securedCount: z.number().int().describe('当年资金到位的项目数'),
    securedAmount: amount.describe('当年到位资金（元）：中央预算内为当年下达的计划金额，专项债券为当年发行的金额'),
  })
  .meta({ id: 'FundsRow' });

export const fundsResponse = z.object({ from: z.number().int(), to: z.number().int(), items: z.array(fundsRow) });

export const fundsProjectsParams = z.object({ year, channel: z.enum(channels) });
export const fundsProjectsQuery = pageQuery.extend(scopeQuery.shape);

export const fundsProjectsResponse = z.object({
  year: z.number().int(),
  channel: z.enum(channels),
  totals: fundsRow.omit({ year: true, channel: true }),
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      orgId: z.string(),
      orgName: z.string().optional(),
      field: z.enum(fields),
      stage: z.enum(stages),
      appliedAmount: amount,
      securedAmount: amount,
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
});

export const pipelineQuery = scopeQuery.extend({ channel: z.enum(channels).optional() });

const projectRef = z.object({ id: z.string(), name: z.string(), orgName: z.string().optional(), channel: z.enum(channels) });

export const pipelineResponse = z.object({
  stages: z.array(z.object({ channel: z.enum(channels), stage: z.enum(stages), label: z.string(), count: z.number().int() })),
  overdueReviews: z.object({
    count: z.number().int(),
    items: z.array(
      projectRef.extend({
        stage: z.enum(stages),
        enteredAt: z.string(),
        dueDate: z.string(),
        limitWorkingDays: z.number().int(),
        workingDaysUsed: z.number().int(),
      }),
    ),
  }),
  ratings: z.object({
    counts: z.object({ red: z.number().int(), yellow: z.number().int(), green: z.number().int() }),
    items: z.array(
      projectRef.extend({
        rating: z.enum(ratings),
        ratingLabel: z.string(),
        reason: z.string().describe('评定理由'),
        disbursedShare: z.number().optional().describe('已拨付占截至目前计划拨付的比例'),
        daysSinceProgressReport: z.number().int(),
      }),
    ),
  }),
});

export const summaryQuery = scopeQuery.extend({ year: year.optional().describe('默认为今年') });

export const summaryResponse = z.object({
  year: z.number().int(),
  asOf: z.string(),
  text: z.string().describe('年度报告中的资金争取段落'),
  funds: z.array(fundsRow),
  reviews: z.object({
    finished: z.number().int().describe('当年办结的审核'),
    finishedLate: z.number().int().describe('其中超过时限的'),
    openOverdue: z.number().int().describe('在审且已超过时限的（仅当年）'),
  }),
});

export const ledgerQuery = pipelineQuery.extend({
  kind: z.enum(ledgerKinds).meta({ title: '台账类型' }).describe('progress 项目进展；procedures 手续办理；issues 问题解决；intake 项目入库'),
});

const boardItem = z.object({ rank: z.number().int() }).catchall(z.union([z.string(), z.number(), z.null()]));

export const boardResponse = z.object({
  asOf: z.string(),
  columns: z.array(z.object({ key: z.enum(boardFields), label: z.string() })),
  fastest: z.array(boardItem),
  slowest: z.array(boardItem),
});
