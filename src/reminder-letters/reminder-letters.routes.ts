import { z } from 'zod';
import { reminderItemKinds, reminderLetterInput } from '../../workflows/reminder-letters';
import type { ApiRouter } from '../shared/api-router';
import { objectId, pageOf, pageQuery } from '../shared/schemas';
import { renderInPool } from '../documents-pdf/pool';
import { letterStates } from './reminder-letter.model';
import { letterDocument } from './letter-document';
import { findLetter, issueLetter, letterSuggestions, letterView, listLetters } from './reminder-letters.service';

const TAG = '提醒函';
const readers = ['staff', 'leader', 'owner'] as const;

const letterSchema = z
  .object({
    id: z.string(),
    number: z.string().describe('文号，如〔2026〕第7号'),
    year: z.number().int(),
    date: z.string(),
    orgId: z.string(),
    orgName: z.string(),
    deadline: z.string().optional(),
    state: z.enum(letterStates).describe('issued 已编号、正在记入项目；recorded 已记入各项目并通知单位'),
    items: z.array(
      z.object({ projectId: z.string(), projectName: z.string(), kind: z.enum(reminderItemKinds), label: z.string(), text: z.string(), since: z.string().optional(), note: z.string().optional() }),
    ),
    issuedBy: z.string(),
    issuedAt: z.string(),
  })
  .meta({ id: 'ReminderLetter' });

const letterParams = z.object({ id: z.string().regex(/^\d{4}-\d{1,6}$/, '提醒函编号格式不正确') });

const suggestionSchema = z.object({
  month: z.string().describe('据以判断的调度月份'),
  items: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      projects: z.array(
        z.object({
          projectId: z.string(),
          name: z.string(),
          lettersBefore: z.number().int().describe('此前已发提醒函的次数'),
          items: z.array(z.object({ kind: z.enum(reminderItemKinds), label: z.string(), text: z.string(), since: z.string().optional() })),
        }),
      ),
    }),
  ),
});

export function reminderLetterRoutes(api: ApiRouter): void {
  api.route(
    {
      method: 'get',
      path: '/api/reminder-letters/suggestions',
      tag: TAG,
      summary: '按单位列出目前月报逾期未报或未按计划开工的项目，供发提醒函时选择',
      access: ['staff'],
      query: z.object({ orgId: objectId.optional() }),
      responses: { 200: { description: '可提醒的事项', schema: suggestionSchema } },
    },
    async ({ query }) => ({ body: letterSuggestions(query.orgId) }),
  );

  api.route(
    {
      method: 'post',
      path: '/api/reminder-letters',
      tag: TAG,
      summary: '向单位发出提醒函：编号、记入各项目历史、通知单位用户',
      access: ['staff'],
      body: reminderLetterInput,
      responses: { 201: { description: '已发出', schema: z.object({ letter: letterSchema }) } },
    },
    async ({ user, body }) => ({ status: 201, body: { letter: await issueLetter(user, body) } }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/reminder-letters',
      tag: TAG,
      summary: '提醒函登记簿，新的在前（项目单位只看本单位的）',
      access: readers,
      query: pageQuery.extend({ orgId: objectId.optional(), year: z.coerce.number().int().min(2000).max(2100).optional() }),
      responses: { 200: { description: '提醒函', schema: pageOf(letterSchema) } },
    },
    async ({ user, query }) => ({ body: listLetters(user, query) }),
  );

  api.route(
    { method: 'get', path: '/api/reminder-letters/:id', tag: TAG, summary: '一封提醒函', access: readers, params: letterParams, responses: { 200: { description: '提醒函', schema: z.object({ letter: letterSchema }) } } },
    async ({ user, params }) => ({ body: { letter: letterView(findLetter(user, params.id)) } }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/reminder-letters/:id/letter.pdf',
      tag: TAG,
      summary: '提醒函 PDF',
      access: readers,
      params: letterParams,
      responses: { 200: { description: '提醒函', schema: z.string().meta({ format: 'binary' }), contentType: 'application/pdf' }, 503: { description: '生成任务繁忙' } },
    },
    async ({ user, params, res }) => {
      const letter = findLetter(user, params.id);
      const bytes = await renderInPool(letterDocument(letter));
      res.attachment(`提醒函${letter.number}-${letter.orgName}.pdf`);
      res.type('application/pdf');
      res.send(bytes);
    },
  );
}
