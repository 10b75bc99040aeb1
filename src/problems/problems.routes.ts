import type { RequestHandler } from 'express';
import { z } from 'zod';
import { problemEventInput, problemInput } from '../../workflows/problems';
import { chinaDay } from '../../workflows/working-days';
import type { Settings } from '../config';
import type { ApiRouter } from '../shared/api-router';
import { Problem, invalid, unauthorized } from '../shared/problem';
import { idParams, objectId, pageOf, personId } from '../shared/schemas';
import type { CurrentUser } from '../shared/current-user';
import { createDossierUpload, discardUpload, getStoredFile, sendStoredFile } from '../dossier/storage';
import { loadProjectFor } from '../projects/projects.service';
import { addAttachment, attachmentView, findAttachment } from './problem-attachments';
import { PROBLEM_LEDGER_TITLE, streamProblemLedger } from './problem-ledger';
import { listProblems, problemDetail, projectProblems, raiseProblem, sendProblemEvent, type ProblemQuery } from './problems.service';
import { problemDetailView, problemFilters, problemListQuery, problemSummaryView, problemView } from './problems.schemas';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const problemBody = z.object({ problem: problemDetailView });

/** Filters as asked for, with `me` read as the user asking. */
const filtersFor = <Q extends z.output<typeof problemFilters>>(user: CurrentUser, query: Q): Q & ProblemQuery => ({
  ...query,
  leaderId: personId(user, query.leaderId),
  staffId: personId(user, query.staffId),
});

/** Refuses before a byte is stored when the user may not raise problems on this project. */
const mayRaise: RequestHandler = async (req, _res, next) => {
  if (!req.currentUser) throw unauthorized();
  await loadProjectFor(req.currentUser, String(req.params.id), 'raise');
  next();
};

export function problemRoutes(api: ApiRouter, settings: Settings): void {
  const upload = createDossierUpload({ uploadsDir: settings.uploadsDir, maxFileBytes: settings.maxUploadBytes });

  api.route(
    { method: 'post', path: '/api/projects/:id/problems', tag: '问题清单', summary: '提出制约项目推进的问题（看得到项目的人均可提出）', access: ['owner', 'staff', 'leader'], params: idParams, body: problemInput, responses: { 201: { description: '已提出', schema: problemBody } } },
    async ({ user, params, body }) => ({ status: 201, body: { problem: await problemDetail(user, await raiseProblem(user, params.id, body)) } }),
  );

  api.route(
    { method: 'get', path: '/api/projects/:id/problems', tag: '问题清单', summary: '项目的全部问题（新提出的在前）', access: 'user', params: idParams, responses: { 200: { description: '问题', schema: z.object({ items: z.array(problemView), summary: problemSummaryView }) } } },
    async ({ user, params }) => ({ body: await projectProblems(user, params.id) }),
  );

  api.route(
    {
      method: 'post',
      path: '/api/problems/:id/events',
      tag: '问题清单',
      summary: '记录办理情况、提级协调、销号或重新打开（发改局工作人员、项目单位）',
      access: ['owner', 'staff'],
      params: idParams,
      body: problemEventInput,
      responses: { 200: { description: '已记录', schema: problemBody } },
    },
    async ({ user, params, body }) => ({ body: { problem: await problemDetail(user, await sendProblemEvent(user, params.id, body)) } }),
  );

  api.route(
    { method: 'get', path: '/api/problems', tag: '问题清单', summary: '问题清单（项目单位只看本单位），附“共调度问题项目X个、问题Y个，已解决Z个”', access: 'user', query: problemListQuery, responses: { 200: { description: '问题', schema: pageOf(problemView).extend({ summary: problemSummaryView }) } } },
    async ({ user, query }) => ({ body: listProblems(user, filtersFor(user, query)) }),
  );

  api.route(
    { method: 'get', path: '/api/problems/:id', tag: '问题清单', summary: '问题及其全部办理记录', access: 'user', params: idParams, responses: { 200: { description: '问题', schema: problemBody } } },
    async ({ user, params }) => ({ body: { problem: await problemDetail(user, params.id) } }),
  );

  api.route(
    { method: 'get', path: '/api/exports/problems.xlsx', tag: '问题清单', summary: '导出问题解决台账（筛选同问题清单）', access: ['staff', 'leader'], query: problemFilters, responses: { 200: { description: 'Excel 文件', schema: z.string().meta({ format: 'binary' }), contentType: XLSX } } },
    async ({ user, query, req, res }) => {
      res.type(XLSX);
      res.attachment(`${PROBLEM_LEDGER_TITLE}-${chinaDay(new Date())}.xlsx`);
      try {
        await streamProblemLedger(user, filtersFor(user, query), res);
      } catch (error) {
        // Once the file has started, the only honest answer left is a cut connection.
        if (!res.headersSent) throw error;
        req.log.error({ err: error }, 'problem ledger export failed');
        res.destroy();
      }
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/projects/:id/problem-attachments',
      tag: '问题清单',
      summary: '上传问题的附件（随后在提出问题时引用）',
      access: ['owner', 'staff', 'leader'],
      params: idParams,
      requestContent: { 'multipart/form-data': { schema: z.object({ file: z.string().meta({ format: 'binary', description: 'PDF、OFD、DOC/DOCX、XLS/XLSX、JPG/PNG 或 ZIP' }) }) } },
      before: [mayRaise, upload.single('file')],
      responses: {
        201: { description: '已上传', schema: z.object({ attachment: z.object({ id: z.string(), fileName: z.string(), size: z.number().int(), mime: z.string(), url: z.string() }) }) },
        413: { description: '文件过大' },
        415: { description: '文件类型不在允许之列' },
      },
    },
    async ({ user, params, req }) => {
      if (!req.file) throw invalid([{ path: 'file', message: '请选择要上传的文件' }]);
      try {
        return { status: 201, body: { attachment: attachmentView(await addAttachment(user, params.id, getStoredFile(req.file))) } };
      } catch (error) {
        if (error instanceof Problem && error.status < 500) await discardUpload(req.file);
        throw error;
      }
    },
  );

  api.route(
    { method: 'get', path: '/api/problem-attachments/:id/content', tag: '问题清单', summary: '下载问题的附件', access: 'user', params: z.object({ id: objectId }), responses: { 200: { description: '文件内容', schema: z.string().meta({ format: 'binary' }), contentType: 'application/octet-stream' } } },
    async ({ user, params, res }) => {
      await sendStoredFile(res, settings.uploadsDir, await findAttachment(user, params.id));
    },
  );
}
