import { z } from 'zod';
import { problemCategories, problemEventTypes, problemLevels, problemStates } from '../../workflows/problems';
import { flagQuery, objectId, pageQuery, personFilter } from '../shared/schemas';
import { day } from '../../workflows/day-input';


/** What lists of problems and the ledger filter by. */
export const problemFilters = z.object({
  state: z.enum(problemStates).optional().describe('open 未解决；resolved 已销号'),
  category: z.enum(problemCategories).optional(),
  level: z.enum(problemLevels).optional(),
  overdue: flagQuery.optional().describe('true 只看逾期未解决的'),
  leaderId: personFilter.optional().describe('项目的包联领导（me 为本人）'),
  staffId: personFilter.optional().describe('项目的发改局经办人（me 为本人）'),
  orgId: objectId.optional().describe('项目单位'),
  projectId: objectId.optional(),
  unit: z.string().trim().max(100).optional().describe('责任单位（名称的一部分）'),
  from: day.optional().describe('提出日期不早于'),
  to: day.optional().describe('提出日期不晚于'),
});

export const problemListQuery = pageQuery.extend(problemFilters.shape);

const event = z
  .object({
    type: z.enum(['RAISE', ...problemEventTypes]),
    at: z.string(),
    by: z.object({ id: z.string(), name: z.string(), role: z.string() }),
    note: z.string().optional(),
    reason: z.string().optional(),
    resolution: z.string().optional(),
    level: z.enum(problemLevels).optional(),
  })
  .meta({ id: 'ProblemEvent' });

export const problemView = z
  .object({
    id: z.string(),
    projectId: z.string(),
    projectName: z.string(),
    orgId: z.string(),
    category: z.enum(problemCategories),
    description: z.string(),
    level: z.enum(problemLevels),
    state: z.enum(problemStates),
    overdue: z.boolean(),
    version: z.number().int(),
    raisedAt: z.string(),
    lastEvent: event,
  })
  .loose()
  .meta({ id: 'Problem' });

export const problemDetailView = problemView.extend({ events: z.array(event), availableEvents: z.array(z.enum(problemEventTypes)) }).meta({ id: 'ProblemDetail' });

export const problemSummaryView = z
  .object({
    projects: z.number().int().describe('有问题的项目数'),
    problems: z.number().int(),
    resolved: z.number().int().describe('已销号的'),
    open: z.number().int(),
    overdue: z.number().int().describe('逾期未解决的'),
    text: z.string().describe('共调度问题项目X个、问题Y个，已解决Z个'),
  })
  .meta({ id: 'ProblemSummary' });
