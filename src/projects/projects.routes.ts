import { z } from 'zod';
import { stages } from '../../workflows/vocabulary';
import type { ApiRouter } from '../shared/api-router';
import { idParams, pageOf } from '../shared/schemas';
import { chinaDay } from '../../workflows/working-days';
import { bulkResponsibilityBody, historyEntryView, projectFilters, projectInput, projectListQuery, projectPatch, projectView, responsibilityBody } from './project.schemas';
import { projectListTitle, writeProjectList } from './project-export';
import { streamDownload, XLSX } from '../shared/downloads';
import * as projects from './projects.service';
import { projectHistory } from './project.repository';
import { workQueue } from './queue';
import { assignInBulk, setResponsibility, takeReviews } from './responsibility';

const projectBody = z.object({ project: projectView });

const queueLine = z
  .object({
    id: z.string(),
    name: z.string(),
    orgId: z.string(),
    orgName: z.string().optional(),
    stage: z.enum(stages),
    version: z.number().int(),
    requestedAmount: z.number().int(),
    stageEnteredAt: z.string(),
    dueDate: z.string().optional(),
    overdue: z.boolean(),
  })
  .loose()
  .meta({ id: 'QueueLine' });

/** A file waiting for its review, with its time limit (限时办结). */
const awaitingFile = z.object({
  docType: z.string(),
  label: z.string(),
  version: z.number().int(),
  uploadedAt: z.string(),
  dueDate: z.string(),
  overdue: z.boolean(),
  limitWorkingDays: z.number().int(),
  workingDaysUsed: z.number().int(),
});

export function projectRoutes(api: ApiRouter): void {
  api.route(
    { method: 'post', path: '/api/projects', tag: '项目', summary: '新建项目（草稿）', access: ['owner', 'staff'], body: projectInput, responses: { 201: { description: '已创建', schema: projectBody } } },
    async ({ user, body }) => ({ status: 201, body: { project: await projects.projectDetail(user, await projects.createProject(user, body)) } }),
  );

  api.route(
    { method: 'get', path: '/api/projects', tag: '项目', summary: '项目列表', access: 'user', query: projectListQuery, responses: { 200: { description: '项目', schema: pageOf(projectView) } } },
    async ({ user, query }) => ({ body: projects.listProjects(user, query) }),
  );

  // Before `/api/projects/:id`, which would take `export.xlsx` for an id.
  api.route(
    {
      method: 'get',
      path: '/api/projects/export.xlsx',
      tag: '项目',
      summary: '导出项目清单（与列表相同的筛选和排序，或所选项目）为 Excel',
      access: 'user',
      query: projectFilters,
      responses: { 200: { description: 'Excel 文件', schema: z.string().meta({ format: 'binary' }), contentType: XLSX } },
    },
    async ({ user, query, req, res }) => {
      const rows = projects.matchingProjects(user, query);
      await streamDownload(req, res, XLSX, `${projectListTitle}-${chinaDay(new Date())}.xlsx`, (out) => writeProjectList(rows, out));
    },
  );

  api.route(
    { method: 'get', path: '/api/projects/:id', tag: '项目', summary: '项目详情', access: 'user', params: idParams, responses: { 200: { description: '项目', schema: projectBody } } },
    async ({ user, params }) => ({ body: { project: await projects.projectDetail(user, await projects.loadProjectFor(user, params.id)) } }),
  );

  api.route(
    { method: 'patch', path: '/api/projects/:id', tag: '项目', summary: '修改项目', access: ['owner', 'staff'], params: idParams, body: projectPatch, responses: { 200: { description: '已修改', schema: projectBody } } },
    async ({ user, params, body }) => ({ body: { project: await projects.projectDetail(user, await projects.updateProject(user, params.id, body)) } }),
  );

  api.route(
    { method: 'put', path: '/api/projects/:id/responsibility', tag: '项目', summary: '明确项目的包联领导、责任单位、责任人、协办单位和发改局经办人（未填写的项不变，null 为清空）', access: ['staff'], params: idParams, body: responsibilityBody, responses: { 200: { description: '已调整', schema: projectBody } } },
    async ({ user, params, body: { expectedVersion, ...change } }) => ({ body: { project: await projects.projectDetail(user, await setResponsibility(user, params.id, change, expectedVersion)) } }),
  );

  api.route(
    { method: 'post', path: '/api/projects/:id/responsibility/take', tag: '项目', summary: '首问负责：本人接办项目的审核（已有经办人时须由责任分工转交并说明理由）', access: ['staff'], params: idParams, responses: { 200: { description: '已接办', schema: projectBody } } },
    async ({ user, params }) => ({ body: { project: await projects.projectDetail(user, await takeReviews(user, params.id)) } }),
  );

  api.route(
    {
      method: 'post',
      path: '/api/projects/responsibility',
      tag: '项目',
      summary: '批量调整责任分工：所列项目逐个记入历史；任何一个项目不能调整时，全部不调整',
      access: ['staff'],
      body: bulkResponsibilityBody,
      responses: {
        200: {
          description: '已调整的项目，以及检查之后、调整之前被他人改为不能调整的项目',
          schema: z.object({
            items: z.array(z.object({ id: z.string(), name: z.string(), version: z.number().int(), responsibility: z.record(z.string(), z.unknown()).optional() })),
            failed: z.array(z.object({ id: z.string(), message: z.string() })),
          }),
        },
      },
    },
    async ({ user, body: { projectIds, ...change } }) => ({ body: await assignInBulk(user, projectIds, change) }),
  );

  api.route(
    { method: 'get', path: '/api/queue', tag: '项目', summary: '待办：待审核的项目（按到期日）与待审材料', access: ['staff'], responses: { 200: { description: '待办', schema: z.object({ reviews: z.array(queueLine), reviewsTotal: z.number().int(), files: z.array(queueLine.extend({ pendingDocuments: z.array(awaitingFile) })), filesTotal: z.number().int() }) } } },
    async ({ user }) => ({ body: workQueue(user) }),
  );

  api.route(
    { method: 'get', path: '/api/projects/:id/history', tag: '项目', summary: '流转与审核记录（由早到晚）', access: 'user', params: idParams, responses: { 200: { description: '记录', schema: z.object({ items: z.array(historyEntryView) }) } } },
    async ({ user, params }) => {
      const history = await projectHistory(await projects.loadProjectFor(user, params.id));
      return { body: { items: history.map((h) => ({ ...h, at: h.at.toISOString() })) } };
    },
  );
}
