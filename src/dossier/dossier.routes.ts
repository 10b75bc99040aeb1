import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { ApiRouter } from '../shared/api-router';
import type { Settings } from '../config';
import { idParams, objectId } from '../shared/schemas';
import { Problem, invalid, unauthorized } from '../shared/problem';
import { loadProjectFor } from '../projects/projects.service';
import { documentView } from '../projects/project-status';
import * as dossier from './dossier.service';
import { createDossierUpload, discardUpload, getStoredFile, sendStoredFile } from './storage';
import { messages } from '../../workflows/messages';

const documentSchema = z
  .object({
    id: z.string(),
    docType: z.string(),
    version: z.number().int(),
    fileName: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    mime: z.string(),
    uploadedAt: z.string(),
    state: z.enum(['pending', 'accepted', 'rejected']),
  })
  .loose()
  .meta({ id: 'Document' });

const uploadForm = z.object({
  file: z.string().meta({ format: 'binary', description: 'PDF、OFD、DOC/DOCX、XLS/XLSX、JPG/PNG 或 ZIP' }),
  docType: z.string(),
});

const reviewBody = z
  .object({ decision: z.enum(['accept', 'reject']), reason: z.string().max(2000).optional() })
  .meta({ id: 'DocumentReview' });

/** Refuses before a byte is stored when the user may not add files to this project. */
const mayUpload: RequestHandler = async (req, _res, next) => {
  if (!req.currentUser) throw unauthorized();
  await loadProjectFor(req.currentUser, String(req.params.id), 'upload');
  next();
};

export function dossierRoutes(api: ApiRouter, settings: Settings): void {
  const upload = createDossierUpload({ uploadsDir: settings.uploadsDir, maxFileBytes: settings.maxUploadBytes });

  api.route(
    {
      method: 'post',
      path: '/api/projects/:id/documents',
      tag: '申报材料',
      summary: '上传一份材料（同类型再次上传即为新版本）',
      access: ['owner', 'staff'],
      params: idParams,
      requestContent: { 'multipart/form-data': { schema: uploadForm } },
      before: [mayUpload, upload.single('file')],
      responses: {
        201: { description: '已上传', schema: z.object({ document: documentSchema }) },
        413: { description: '文件过大' },
        415: { description: '文件类型不在允许之列' },
      },
    },
    async ({ user, params, req }) => {
      if (!req.file) throw invalid([{ path: 'file', message: messages.fileMissing }]);
      try {
        const document = await dossier.addDocumentVersion(user, params.id, req.body?.docType, getStoredFile(req.file));
        return { status: 201, body: { document: documentView(document) } };
      } catch (error) {
        // A refused upload leaves neither record nor file. When the database failed instead, the record may have
        // been written without the answer coming back: keep the file (unreferenced is harmless, missing is not).
        if (error instanceof Problem && error.status < 500) await discardUpload(req.file);
        throw error;
      }
    },
  );

  api.route(
    { method: 'get', path: '/api/projects/:id/documents', tag: '申报材料', summary: '全部材料的全部版本', access: 'user', params: idParams, responses: { 200: { description: '材料', schema: z.object({ items: z.array(documentSchema) }) } } },
    async ({ user, params }) => ({ body: { items: (await dossier.listDocuments(user, params.id)).map(documentView) } }),
  );

  api.route(
    { method: 'get', path: '/api/documents/:id/content', tag: '申报材料', summary: '下载材料原件', access: 'user', params: z.object({ id: objectId }), responses: { 200: { description: '文件内容', schema: z.string().meta({ format: 'binary' }), contentType: 'application/octet-stream' } } },
    async ({ user, params, res }) => {
      await sendStoredFile(res, settings.uploadsDir, await dossier.openDocument(user, params.id));
    },
  );

  api.route(
    { method: 'post', path: '/api/documents/:id/review', tag: '申报材料', summary: '审核一份材料（通过或退回）', access: ['staff'], params: z.object({ id: objectId }), body: reviewBody, responses: { 200: { description: '已审核', schema: z.object({ document: documentSchema }) } } },
    async ({ user, params, body }) => ({ body: { document: documentView(await dossier.reviewDocument(user, params.id, body.decision, body.reason)) } }),
  );

  api.route(
    {
      method: 'post',
      path: '/api/documents/:id/withdraw',
      tag: '申报材料',
      summary: '撤回误传的材料（仅上传人、仅尚未审核的最新版本；记入流转记录）',
      access: ['owner', 'staff'],
      params: z.object({ id: objectId }),
      responses: { 200: { description: '已撤回', schema: z.object({ document: documentSchema }) }, 409: { description: '材料已审核或已有新版本' } },
    },
    async ({ user, params }) => ({ body: { document: documentView(await dossier.withdrawDocument(user, params.id)) } }),
  );
}
