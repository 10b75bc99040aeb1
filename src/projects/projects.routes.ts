import { z } from 'zod';
import { stages } from '../../workflows/vocabulary';
import type { ApiRouter } from '../shared/api-router';
import { idParams, pageOf } from '../shared/schemas';
import { chinaDay } from '../../workflows/working-days';
import { historyEntryView, projectFilters, projectInput, projectListQuery, projectPatch, projectView } from './project.schemas';
import { projectListTitle, writeProjectList } from './project-export';
import { streamDownload, XLSX } from '../shared/downloads';
import * as projects from './projects.service';
import { projectHistory } from './project.repository';
import { workQueue } from './queue';

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
