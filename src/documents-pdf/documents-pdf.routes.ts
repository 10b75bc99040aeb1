import { z } from 'zod';
import type { ApiRouter } from '../shared/api-router';
import type { Settings } from '../config';
import { idParams } from '../shared/schemas';
import { stages } from '../../workflows/vocabulary';
import { applicationPdf } from './documents-pdf.service';
import { verify } from './verification.service';

const pdfQuery = z.object({
  bundle: z.enum(['0', '1']).optional().describe('1：在申报书后附入已审核通过的 PDF 与图片材料'),
});

const verificationView = z
  .object({ projectName: z.string(), orgName: z.string(), stage: z.enum(stages), stageLabel: z.string(), version: z.number().int() })
  .meta({ id: 'Verification' });

export function documentsPdfRoutes(api: ApiRouter, settings: Settings): void {
  api.route(
    {
      method: 'get',
      path: '/api/projects/:id/application.pdf',
      tag: '申报书',
      summary: '申报书 PDF（bundle=1 时附带已审核通过的材料）',
      access: 'user',
      params: idParams,
      query: pdfQuery,
      responses: { 200: { description: '申报书', schema: z.string().meta({ format: 'binary' }), contentType: 'application/pdf' }, 503: { description: '生成任务繁忙' } },
    },
    async ({ user, params, query, res }) => {
      const { bytes, fileName } = await applicationPdf(user, params.id, { bundle: query.bundle === '1', publicUrl: settings.publicUrl, uploadsDir: settings.uploadsDir });
      res.attachment(fileName);
      res.type('application/pdf');
      res.send(bytes);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/public/verify/:code',
      tag: '申报书',
      summary: '核验纸质申报书：按核验码返回项目名称、项目单位、阶段与版本',
      access: 'public',
      params: z.object({ code: z.string().max(40) }),
      responses: { 200: { description: '核验结果', schema: verificationView }, 404: { description: '核验码不存在' } },
    },
    async ({ params }) => ({ body: await verify(params.code) }),
  );
}
