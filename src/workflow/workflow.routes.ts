import { z } from 'zod';
import { messages } from '../../workflows/messages';
import type { ApiRouter } from '../shared/api-router';
import { idParams } from '../shared/schemas';
import { projectView } from '../projects/project.schemas';
import { projectDetail } from '../projects/projects.service';
import { describeWorkflows } from './describe';
import { sendEvent } from './workflow.service';

const eventBody = z
  .object({
    type: z.string().regex(/^[A-Z_]{3,40}$/, messages.unknownEvent),
    expectedVersion: z.number().int().min(1),
    reason: z.string().max(2000).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'WorkflowEvent' });

export function workflowRoutes(api: ApiRouter): void {
  api.route(
    {
      method: 'post',
      path: '/api/projects/:id/events',
      tag: '流程',
      summary: '推进、退回或记录（按阶段与角色）',
      access: ['owner', 'staff'],
      params: idParams,
      body: eventBody,
      responses: {
        200: { description: '已执行', schema: z.object({ project: projectView }) },
        409: { description: '当前阶段不接受此操作，或版本已过期' },
        422: { description: '材料不齐（missing）或数据不符（errors）' },
      },
    },
    async ({ user, params, body }) => ({
      body: { project: await projectDetail(user, await sendEvent(user, params.id, body)) },
    }),
  );

  api.route(
    { method: 'get', path: '/api/workflows', tag: '流程', summary: '各渠道的流程、守卫、必备材料与流程图', access: 'user' },
    async () => ({ body: { items: describeWorkflows() } }),
  );
}
