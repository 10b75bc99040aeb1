import { z } from 'zod';
import { boardFields } from '../../workflows/rules';
import { ratings } from '../../workflows/rating';
import { NO_ROUND } from '../../workflows/rounds';
import { channels, fields, stages } from '../../workflows/vocabulary';
import { keyLevels } from '../../workflows/schedule';
import { month } from '../../workflows/schedule-input';
import { objectId, pageQuery, personFilter } from '../shared/schemas';
import { ledgerKinds } from './ledgers';
import { messages } from '../../workflows/messages';
import { scheduleFigureKinds } from './schedule-stats';

const year = z.coerce.number().int().min(2000).max(2100);
const MAX_YEARS = 30;

export const scopeQuery = z.object({
  orgId: objectId.optional().describe('只看这个项目单位'),
  field: z.enum(fields).optional().describe('只看这个领域'),
  leaderId: personFilter.optional().describe('只看这位领导包联的项目（me 为本人）'),
  staffId: personFilter.optional().describe('只看这位工作人员经办的项目（me 为本人）'),
});

/** A round's id, or `none` for what went up outside any round. */
const roundFilter = z.union([objectId, z.literal(NO_ROUND)]).describe('申报批次编号；none 为未编入批次的');

export const fundsQuery = scopeQuery
  .extend({
    roundId: roundFilter.optional(),
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

export const fundsResponse = z.object({ from: z.number().int(), to: z.number().int(), roundId: z.string().optional(), items: z.array(fundsRow) });

export const fundsProjectsParams = z.object({ year, channel: z.enum(channels) });
export const fundsProjectsQuery = pageQuery.extend(scopeQuery.shape).extend({ roundId: roundFilter.optional() });

export const fundsByRoundQuery = scopeQuery.extend({ year: year.describe('年度') });

export const fundsByRoundResponse = z.object({
  year: z.number().int(),
  items: z.array(fundsRow.omit({ year: true }).extend({ roundId: z.string().describe('申报批次编号；none 为未编入批次的'), roundName: z.string() })),
});

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

export const ratedProject = projectRef
  .extend({
    rating: z.enum(ratings).optional().describe('红黄绿；没有当年年度计划的项目不评定'),
    ratingLabel: z.string().optional(),
    reason: z.string().describe('评定理由；不评定时说明原因'),
    plannedInvestment: amount.optional().describe('年度计划投资（元）'),
    plannedToDate: amount.optional().describe('年度计划按月折算至该月末（元）'),
    completedToDate: amount.optional().describe('当年截至该月末完成投资（元）'),
    completionShare: z.number().optional().describe('完成投资占按月折算计划的比例'),
    missingReports: z.array(z.string()).describe('未报送月报的月份'),
    lateReports: z.array(z.string()).describe('逾期报送月报的月份'),
    startMissed: z.boolean().describe('计划开工月份已过而未开工'),
  })
  .meta({ id: 'RatedProject' });

export const ratingsSummary = z.object({
  month: z.string().describe('评定所依据的月份（YYYY-MM）'),
  counts: z.object({ red: z.number().int(), yellow: z.number().int(), green: z.number().int() }),
  unrated: z.number().int().describe('实施中但没有当年年度计划、无法评定的项目数'),
  items: z.array(ratedProject).describe('红、黄、绿、不评定依次排列，最多 200 个'),
});

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
  ratings: ratingsSummary,
});

export const scheduleQuery = pipelineQuery.extend({
  month: month.optional().describe('统计到该月（YYYY-MM）；默认为月报已全部到期的最近一个月'),
  keyLevel: z.enum(keyLevels).optional().describe('只看这一级重点项目'),
});

const share = z.number().optional().describe('比例（0—1）；分母为 0 时不提供');

const scheduleTotals = z.object({
  projects: z.number().int().describe('有当年年度计划的项目数'),
  newStarts: z.number().int().describe('计划当年新开工的项目数'),
  plannedToStart: z.number().int().describe('计划于该月末前开工的项目数'),
  started: z.number().int().describe('其中已开工的'),
  startRate: share.describe('开工率'),
  plannedInvestment: amount.describe('年度计划投资（元）'),
  plannedToDate: amount.describe('年度计划按月折算至该月末（元）'),
  completedInvestment: amount.describe('当年截至该月末完成投资（元）'),
  completionRate: share.describe('完成率：完成投资占年度计划投资的比例'),
  behindPlan: z.number().int().describe('完成投资落后于按月折算计划的项目数'),
});

const halfYearTotals = z.object({
  projects: z.number().int(),
  passedProjects: z.number().int().describe('上半年完成投资达到年度计划一半的项目数'),
  plannedInvestment: amount,
  completedByHalfYear: amount.describe('1—6月完成投资（元）'),
  completionRate: share,
  passed: z.boolean().describe('是否实现双过半'),
});

const scheduleLine = projectRef.extend({
  keyLevel: z.enum(keyLevels).optional(),
  plannedInvestment: amount.optional(),
  plannedStart: z.string().optional(),
  startedOn: z.string().optional(),
  plannedToDate: amount,
  completedInvestment: amount,
  completionRate: share,
  rating: z.enum(ratings).optional(),
  reason: z.string(),
  missingReports: z.array(z.string()),
  lateReports: z.array(z.string()),
});

const leaderCoverage = z.object({
  keyProjects: z.number().int().describe('当年年度计划中列为重点项目的项目数'),
  withLeader: z.number().int().describe('已明确包联领导的'),
  withoutLeader: z.number().int().describe('尚未明确包联领导的'),
  share: share.describe('覆盖率'),
});

const scheduleList = z.object({ count: z.number().int(), items: z.array(scheduleLine).describe('最多 200 个') });

export const scheduleResponse = scheduleTotals
  .extend({
    month: z.string(),
    asOf: z.string(),
    halfYear: halfYearTotals
      .extend({
        month: z.string(),
        units: z.number().int(),
        passedUnits: z.number().int(),
        failingUnits: z.array(halfYearTotals.extend({ orgId: z.string(), name: z.string() })).describe('未实现双过半的单位'),
      })
      .optional()
      .describe('双过半（6 月及以后提供）'),
    levels: z.array(scheduleTotals.extend({ keyLevel: z.enum(keyLevels).nullable(), label: z.string() })),
    months: z.array(z.object({ month: z.string(), plannedToDate: amount, completedInvestment: amount })).describe('1 月起逐月累计'),
    units: z.array(
      scheduleTotals.extend({
        orgId: z.string(),
        name: z.string(),
        halfYear: halfYearTotals.optional(),
        flag: z.enum(['red', 'black']).optional().describe('红旗、黑旗'),
      }),
    ),
    flags: z.object({ red: z.array(z.string()), black: z.array(z.string()) }),
    ratings: ratingsSummary,
    notStarted: scheduleList.describe('计划开工而未开工的项目'),
    missingReports: scheduleList.extend({ reports: z.number().int().describe('这些项目未报送的月报期数') }).describe('有月报未报送的项目'),
    coverage: leaderCoverage
      .extend({
        levels: z.array(leaderCoverage.extend({ keyLevel: z.enum(keyLevels), label: z.string() })),
        withoutLeaderList: scheduleList.describe('尚未明确包联领导的重点项目'),
      })
      .describe('包联领导覆盖：当年重点项目中已明确和未明确包联领导的'),
    summary: z.string().describe('调度通报的综述段落，由以上数据写成'),
  })
  .meta({ id: 'ScheduleStats' });

export const scheduleProjectsQuery = scheduleQuery.extend(pageQuery.shape).extend({
  figure: z.enum(scheduleFigureKinds).describe('要列出的数字所含项目'),
});

export const scheduleProjectsResponse = z.object({
  month: z.string(),
  figure: z.enum(scheduleFigureKinds),
  items: z.array(scheduleLine),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
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
  month: z.string().describe('排名所依据的月份（YYYY-MM）'),
  columns: z.array(z.object({ key: z.enum(boardFields), label: z.string() })),
  fastest: z.array(boardItem),
  slowest: z.array(boardItem),
});

const waitingCount = z.object({ waiting: z.number().int(), overdue: z.number().int().describe('其中超过办理时限的') });
const reviewLoadLine = z.object({ projects: z.number().int().describe('经办的未办结项目'), reviews: waitingCount.describe('处于审核阶段的项目'), files: waitingCount.describe('待审材料') });

export const reviewLoadResponse = z.object({
  staff: z.array(reviewLoadLine.extend({ staffId: z.string(), name: z.string() })).describe('超期多的在前'),
  unassigned: reviewLoadLine.describe('尚无经办人的项目'),
});
