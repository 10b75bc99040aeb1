import multer from 'multer';
import { z } from 'zod';
import { chinaDay } from '../../workflows/working-days';
import { decodeUploadedName, sanitizeOriginalName } from '../dossier/storage';
import type { ApiRouter } from '../shared/api-router';
import { invalid } from '../shared/problem';
import { objectId } from '../shared/schemas';
import { importStates } from './import.model';
import { checkImport, commitImport, getImport, importKindNames, importTemplate } from './imports.service';
import { MAX_IMPORT_BYTES } from './workbook';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Staff import plans; administrators will import projects (README, "Imports"). */
const importers = ['staff', 'admin'] as const;

const upload = multer({ storage: multer.memoryStorage(), limits: { files: 1, fields: 8, fieldSize: 1024, fileSize: MAX_IMPORT_BYTES } });

const kind = z.enum(importKindNames).describe('plans 年度计划；projects 项目（含资金记录）');

const importSchema = z
  .object({
    id: z.string(),
    kind,
    fileName: z.string(),
    state: z.enum(importStates).describe('checked 已检查未导入；committed 导入中；applied 已导入'),
    rows: z.array(z.object({ row: z.number().int(), value: z.unknown() })).describe('检查通过的行'),
    errors: z.array(z.object({ row: z.number().int(), column: z.string(), message: z.string() })).describe('逐行逐列的错误；有错误时不能导入'),
    createdAt: z.string(),
    committedAt: z.string().optional(),
  })
  .meta({ id: 'Import' });

const thisYear = () => Number(chinaDay(new Date()).slice(0, 4));

export function importRoutes(api: ApiRouter): void {
  api.route(
    {
      method: 'get',
      path: '/api/imports/template.xlsx',
      tag: '导入',
      summary: '下载导入模板（年度计划模板列出通常需要设定计划的项目及其已有计划）',
      access: importers,
      query: z.object({ kind, year: z.coerce.number().int().min(2000).max(2100).optional().describe('默认为今年') }),
      responses: { 200: { description: 'Excel 模板', schema: z.string().meta({ format: 'binary' }), contentType: XLSX } },
    },
    async ({ user, query, res }) => {
      const year = query.year ?? thisYear();
      const template = importTemplate(user, query.kind, year);
      res.type(XLSX).attachment(`${year}年${template.title}导入模板.xlsx`).send(await template.workbook);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/imports',
      tag: '导入',
      summary: '上传 Excel 并逐行检查（不保存任何数据）',
      access: importers,
      requestContent: { 'multipart/form-data': { schema: z.object({ kind, file: z.string().meta({ format: 'binary', description: '.xlsx 工作簿' }) }) } },
      before: [upload.single('file')],
      responses: { 201: { description: '检查结果', schema: z.object({ import: importSchema }) } },
    },
    async ({ user, req }) => {
      const chosen = kind.safeParse(req.body?.kind);
      if (!chosen.success) throw invalid([{ path: 'kind', message: '请选择导入类型' }]);
      if (!req.file) throw invalid([{ path: 'file', message: '请选择要导入的 Excel 文件' }]);
      const fileName = sanitizeOriginalName(decodeUploadedName(req.file.originalname));
      return { status: 201, body: { import: await checkImport(user, chosen.data, { bytes: req.file.buffer, fileName }) } };
    },
  );

  api.route(
    { method: 'get', path: '/api/imports/:id', tag: '导入', summary: '一次导入的检查结果与状态', access: importers, params: z.object({ id: objectId }), responses: { 200: { description: '导入', schema: z.object({ import: importSchema }) } } },
    async ({ user, params }) => ({ body: { import: await getImport(user, params.id) } }),
  );

  api.route(
    { method: 'post', path: '/api/imports/:id/commit', tag: '导入', summary: '确认导入：全部保存，或一行也不保存', access: importers, params: z.object({ id: objectId }), responses: { 200: { description: '已导入', schema: z.object({ import: importSchema }) } } },
    async ({ user, params }) => ({ body: { import: await commitImport(user, params.id) } }),
  );
}
