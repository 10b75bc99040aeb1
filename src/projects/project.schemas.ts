import { z } from 'zod';
import { messages } from '../../workflows/messages';
import { checkProjectRules, projectFacts } from '../../workflows/project-input';
import { ratings } from '../../workflows/rating';
import { keyLevels } from '../../workflows/schedule';
import { channels, fields, stages } from '../../workflows/vocabulary';
import { flagQuery, objectId, pageQuery, personFilter } from '../shared/schemas';
import { responsibilityInput } from '../../workflows/responsibility';

const projectFields = projectFacts.extend({ orgId: objectId.optional() });

export type ProjectFields = z.output<typeof projectFields>;

export const projectInput = projectFields.superRefine(checkProjectRules).meta({ id: 'ProjectInput' });

export const projectPatch = projectFields
  .omit({ channel: true, orgId: true })
  .partial()
  .extend({ expectedVersion: z.number().int().min(1) })
  .meta({ id: 'ProjectPatch' });

/** The columns a list may be sorted by (project-list.ts says what each compares). */
export const sortKeys = ['name', 'orgName', 'totalInvestment', 'requestedAmount', 'stage', 'rating', 'dueDate', 'startYear', 'updatedAt'] as const;
export type SortKey = (typeof sortKeys)[number];
const sortOrders = ['asc', 'desc'] as const;
export type SortOrder = (typeof sortOrders)[number];

/** Picked projects, by id, comma-separated in one parameter (a page of at most 200). */
const MAX_PICKED = 200;
const pickedIds = z
  .string()
  .transform((list) => list.split(',').filter(Boolean))
  .pipe(z.array(objectId).max(MAX_PICKED, messages.tooManyIds(MAX_PICKED)));

/** Which projects a list or its export covers, and in which order. */
export const projectFilters = z.object({
  channel: z.enum(channels).optional(),
  stage: z.enum(stages).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('建设年限含这一年'),
  orgId: objectId.optional(),
  field: z.enum(fields).optional(),
  rating: z.enum(ratings).optional().describe('红黄绿（当前调度月份，按年度计划评定）'),
  keyLevel: z.enum(keyLevels).optional().describe('重点项目级别（所选年度的年度计划；未选年度时为今年）'),
  q: z.string().trim().max(100).optional().describe('项目名称或项目代码（部分即可）'),
  leaderId: personFilter.optional().describe('包联领导（me 为本人：我包联的项目）'),
  staffId: personFilter.optional().describe('发改局经办人（me 为本人）'),
  hasLeader: flagQuery.optional().describe('true 只看已明确包联领导的，false 只看尚未明确的'),
  ids: pickedIds.optional().describe(`只列这些项目（逗号分隔的编号，最多 ${MAX_PICKED} 个）`),
  sort: z.enum(sortKeys).optional().describe('排序列；不指定时最近修改的在前'),
  order: z.enum(sortOrders).default('asc').describe('asc 升序；desc 降序'),
});

export const projectListQuery = pageQuery.extend(projectFilters.shape);

export const responsibilityBody = responsibilityInput.extend({ expectedVersion: z.number().int().min(1).optional() });

export const bulkResponsibilityBody = responsibilityInput
  .extend({ projectIds: z.array(objectId).min(1, '请选择项目').max(500, '一次最多调整 500 个项目') })
  .meta({ id: 'BulkResponsibilityInput' });

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
