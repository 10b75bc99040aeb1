import { z } from 'zod';
import { checkProjectRules, projectFacts } from '../../workflows/project-input';
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

export const projectListQuery = pageQuery.extend({
  channel: z.enum(channels).optional(),
  stage: z.enum(stages).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  orgId: objectId.optional(),
  field: z.enum(fields).optional(),
  q: z.string().trim().max(100).optional(),
  leaderId: personFilter.optional().describe('包联领导（me 为本人：我包联的项目）'),
  staffId: personFilter.optional().describe('发改局经办人（me 为本人）'),
  hasLeader: flagQuery.optional().describe('true 只看已明确包联领导的，false 只看尚未明确的'),
});

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
