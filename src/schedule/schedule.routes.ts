import type { RequestHandler } from 'express';
import { z } from 'zod';
import { reportStatuses } from '../../workflows/schedule';
import { month, monthlyReportInput, yearPlanInput } from '../../workflows/schedule-input';
import type { Settings } from '../config';
import type { ApiRouter } from '../shared/api-router';
import { idParams, objectId, pageQuery } from '../shared/schemas';
import { Problem, invalid, unauthorized } from '../shared/problem';
import { createDossierUpload, discardUpload, getStoredFile, sendStoredFile } from '../dossier/storage';
import { projectView } from '../projects/project.schemas';
import { loadProjectFor, projectDetail } from '../projects/projects.service';
import { addSitePhoto, findSitePhoto, listMonthlyReports, reportingStatus, reportView, sendMonthlyReport, setYearPlan } from './schedule.service';

const reportSchema = z
  .object({
    month: z.string(),
    revision: z.number().int(),
    completedInvestment: z.number().int(),
    progressPercent: z.number(),
    progressNote: z.string(),
    reportedAt: z.string(),
  })
  .loose()
  .meta({ id: 'MonthlyReport' });

const year = z.coerce.number().int().min(2000, '年份不早于 2000 年').max(2100, '年份不晚于 2100 年');
const planParams = idParams.extend({ year });
const reportsQuery = z.object({ year: year.optional().describe('只看这一年的月报') });

/** Refuses before a byte is stored when the user may not report on this project. */
const mayReport: RequestHandler = async (req, _res, next) => {
  if (!req.currentUser) throw unauthorized();
  await loadProjectFor(req.currentUser, String(req.params.id), 'report');
  next();
};

const reportingQuery = pageQuery.extend({
  month: month.optional().describe('默认为上月（本月应报送的月报）'),
  orgId: objectId.optional(),
  status: z.enum(reportStatuses).optional().describe('on-time 按时报送；late 逾期报送；missing 逾期未报；not-due 尚未到期'),
});

const reportingResponse = z.object({
  month: z.string(),
  dueOn: z.string().describe('报送截止日（遇节假日顺延）'),
  counts: z.record(z.enum(reportStatuses), z.number().int()),
  items: z.array(
    z.object({
      projectId: z.string(),
      name: z.string(),
      orgId: z.string(),
      orgName: z.string().optional(),
      status: z.enum(reportStatuses),
      reportedOn: z.string().optional(),
      revisions: z.number().int(),
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
});

export function scheduleRoutes(api: ApiRouter, settings: Settings): void {
  const upload = createDossierUpload({ uploadsDir: settings.uploadsDir, maxFileBytes: settings.maxUploadBytes });

  api.route(
    { method: 'get', path: '/api/monthly-reports', tag: '调度', summary: '某月月报的报送情况：谁已报送、谁逾期、谁未报（项目单位只看本单位）', access: ['owner', 'staff', 'leader'], query: reportingQuery, responses: { 200: { description: '应报送该月月报的项目', schema: reportingResponse } } },
    async ({ user, query }) => ({ body: reportingStatus(user, query) }),
  );

  api.route(
    { method: 'put', path: '/api/projects/:id/plans/:year', tag: '调度', summary: '设定项目某年度的计划（年度计划投资、计划开工与竣工、重点项目级别）', access: ['staff'], params: planParams, body: yearPlanInput, responses: { 200: { description: '已设定', schema: z.object({ project: projectView }) } } },
    async ({ user, params, body }) => ({ body: { project: await projectDetail(user, await setYearPlan(user, params.id, params.year, body)) } }),
  );

  api.route(
    { method: 'post', path: '/api/projects/:id/monthly-reports', tag: '调度', summary: '报送月报（同月再次报送即为更正，须说明理由）', access: ['owner', 'staff'], params: idParams, body: monthlyReportInput, responses: { 201: { description: '已报送', schema: z.object({ report: reportSchema }) } } },
    async ({ user, params, body }) => ({ status: 201, body: { report: reportView(await sendMonthlyReport(user, params.id, body)) } }),
  );

  api.route(
    { method: 'get', path: '/api/projects/:id/monthly-reports', tag: '调度', summary: '项目的全部月报（含更正前的版本），可只看一年', access: 'user', params: idParams, query: reportsQuery, responses: { 200: { description: '月报', schema: z.object({ items: z.array(reportSchema) }) } } },
    async ({ user, params, query }) => ({ body: { items: await listMonthlyReports(user, params.id, query.year) } }),
  );

  api.route(
    {
      method: 'post',
      path: '/api/projects/:id/site-photos',
      tag: '调度',
      summary: '上传一张现场照片（JPG 或 PNG），随后在月报中引用',
      access: ['owner', 'staff'],
      params: idParams,
      requestContent: { 'multipart/form-data': { schema: z.object({ file: z.string().meta({ format: 'binary', description: 'JPG 或 PNG' }) }) } },
      before: [mayReport, upload.single('file')],
      responses: { 201: { description: '已上传', schema: z.object({ photo: z.object({ id: z.string(), fileName: z.string(), url: z.string() }) }) } },
    },
    async ({ user, params, req }) => {
      if (!req.file) throw invalid([{ path: 'file', message: '请选择要上传的照片' }]);
      try {
        const photo = await addSitePhoto(user, params.id, getStoredFile(req.file));
        return { status: 201, body: { photo: { id: photo._id.toString(), fileName: photo.fileName, url: `/api/site-photos/${photo._id.toString()}/content` } } };
      } catch (error) {
        if (error instanceof Problem && error.status < 500) await discardUpload(req.file);
        throw error;
      }
    },
  );

  api.route(
    { method: 'get', path: '/api/site-photos/:id/content', tag: '调度', summary: '现场照片', access: 'user', params: z.object({ id: objectId }), responses: { 200: { description: '图片', schema: z.string().meta({ format: 'binary' }), contentType: 'image/jpeg' } } },
    async ({ user, params, res }) => {
      await sendStoredFile(res, settings.uploadsDir, await findSitePhoto(user, params.id), 'inline');
    },
  );
}
