import { z } from 'zod';
import { draftLineInput, roundInput, roundPatch, roundStatuses } from '../../workflows/rounds';
import { channels } from '../../workflows/vocabulary';
import { chinaDay } from '../../workflows/working-days';
import type { ApiRouter } from '../shared/api-router';
import { streamDownload, XLSX } from '../shared/downloads';
import { idParams, objectId, pageOf, pageQuery } from '../shared/schemas';
import { draftFileName, writeDraft } from './draft-export';
import * as rounds from './rounds.service';

const TAG = '申报批次';
const readers = ['staff', 'leader'] as const;
const year = z.coerce.number().int().min(2000).max(2100);

const roundSchema = roundInput
  .extend({
    id: z.string(),
    status: z.enum(roundStatuses),
    version: z.number().int(),
    projectCount: z.number().int().describe('计划草案所列项目数'),
    total: z.number().int().describe('本次申请合计（元）'),
    left: z.number().int().optional().describe('控制额度尚余（元）'),
    over: z.boolean().describe('是否超过控制额度'),
    createdAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().optional(),
  })
  .loose()
  .meta({ id: 'Round' });

const roundBody = z.object({ round: roundSchema });
const lineParams = z.object({ id: objectId, projectId: objectId });
const loose = z.object({}).loose();

export function roundRoutes(api: ApiRouter): void {
  api.route(
    { method: 'post', path: '/api/rounds', tag: TAG, summary: '开设申报批次', access: ['staff'], body: roundInput, responses: { 201: { description: '已开设', schema: roundBody } } },
    async ({ user, body }) => ({ status: 201, body: { round: rounds.roundView(await rounds.createRound(user, body)) } }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/rounds',
      tag: TAG,
      summary: '申报批次列表（年度新的在前）',
      access: readers,
      query: pageQuery.extend({ channel: z.enum(channels).optional(), year: year.optional(), status: z.enum(roundStatuses).optional() }),
      responses: {
        200: {
          description: '申报批次；outside 为在审或已上报却未编入任何批次的项目',
          schema: pageOf(roundSchema).extend({ outside: z.array(z.object({ id: z.string(), name: z.string(), channel: z.enum(channels), stage: z.string(), orgName: z.string().optional(), requestedAmount: z.number().int() })).max(200), outsideTotal: z.number().int() }),
        },
      },
    },
    async ({ query }) => ({ body: rounds.listRounds(query) }),
  );

  // Before `/api/rounds/:id`.
  api.route(
    {
      method: 'get',
      path: '/api/rounds/rolling-plan',
      tag: TAG,
      summary: '三年滚动投资计划：储备库项目按计划申报年度排列',
      access: readers,
      query: z.object({ from: year.optional().describe('第一年，默认今年'), channel: z.enum(channels).optional() }),
      responses: { 200: { description: '三年滚动计划', schema: loose } },
    },
    async ({ query }) => ({ body: rounds.rollingPlan(query.from ?? Number(chinaDay(new Date()).slice(0, 4)), query.channel) }),
  );

  api.route(
    { method: 'get', path: '/api/rounds/:id', tag: TAG, summary: '申报批次：计划草案所列项目、本次申请金额、准备情况，按领域和单位的合计', access: readers, params: idParams, responses: { 200: { description: '申报批次', schema: loose } } },
    async ({ params }) => ({ body: rounds.roundDetail(params.id) }),
  );

  api.route(
    { method: 'patch', path: '/api/rounds/:id', tag: TAG, summary: '修改申报批次（名称、截止日期、说明、控制额度）', access: ['staff'], params: idParams, body: roundPatch, responses: { 200: { description: '已修改', schema: roundBody } } },
    async ({ params, body }) => ({ body: { round: rounds.roundView(await rounds.updateRound(params.id, body)) } }),
  );

  api.route(
    { method: 'post', path: '/api/rounds/:id/close', tag: TAG, summary: '关闭申报批次：计划草案不再调整', access: ['staff'], params: idParams, responses: { 200: { description: '已关闭', schema: roundBody } } },
    async ({ params }) => ({ body: { round: rounds.roundView(await rounds.setRoundStatus(params.id, 'closed')) } }),
  );

  api.route(
    { method: 'post', path: '/api/rounds/:id/reopen', tag: TAG, summary: '重新打开申报批次', access: ['staff'], params: idParams, responses: { 200: { description: '已打开', schema: roundBody } } },
    async ({ params }) => ({ body: { round: rounds.roundView(await rounds.setRoundStatus(params.id, 'open')) } }),
  );

  api.route(
    { method: 'get', path: '/api/rounds/:id/candidates', tag: TAG, summary: '可编入本批次计划草案的储备项目（同一资金渠道）', access: ['staff'], params: idParams, responses: { 200: { description: '储备项目', schema: loose } } },
    async ({ params }) => ({ body: rounds.roundCandidates(params.id) }),
  );

  api.route(
    {
      method: 'put',
      path: '/api/rounds/:id/projects/:projectId',
      tag: TAG,
      summary: '将项目编入计划草案或调整本次申请金额（超过控制额度的不予保存并说明原因）',
      access: ['staff'],
      params: lineParams,
      body: draftLineInput,
      responses: { 200: { description: '已保存', schema: z.object({ project: loose, round: roundSchema }) } },
    },
    async ({ user, params, body }) => {
      const project = await rounds.putDraftLine(user, params.id, params.projectId, body);
      return { body: { project: { id: project._id.toString(), version: project.version, round: project.round }, round: rounds.roundView(rounds.findRound(params.id)) } };
    },
  );

  api.route(
    { method: 'delete', path: '/api/rounds/:id/projects/:projectId', tag: TAG, summary: '将项目移出计划草案', access: ['staff'], params: lineParams, responses: { 200: { description: '已移出', schema: z.object({ project: loose, round: roundSchema }) } } },
    async ({ user, params }) => {
      const project = await rounds.removeDraftLine(user, params.id, params.projectId);
      return { body: { project: { id: project._id.toString(), version: project.version }, round: rounds.roundView(rounds.findRound(params.id)) } };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/rounds/:id/draft.xlsx',
      tag: TAG,
      summary: '导出计划草案（Excel，上级要求的栏目）',
      access: readers,
      params: idParams,
      responses: { 200: { description: 'Excel 文件', schema: z.string().meta({ format: 'binary' }), contentType: XLSX } },
    },
    async ({ params, req, res }) => {
      const round = rounds.findRound(params.id);
      await streamDownload(req, res, XLSX, draftFileName(round), (out) => writeDraft(round, out));
    },
  );
}
