import multer from 'multer';
import { z } from 'zod';
import { chinaDay } from '../../workflows/working-days';
import { decodeUploadedName, sanitizeOriginalName } from '../dossier/storage';
import type { ApiRouter } from '../shared/api-router';
import { fieldErrorsOf, invalid } from '../shared/problem';
import { columnMappingSchema, headerRowsSchema } from './column-mapping';
import { objectId } from '../shared/schemas';
import { importStates } from './import.model';
import { checkImport, commitImport, getImport, importColumns, importKindNames, importTemplate } from './imports.service';
import { MAX_IMPORT_BYTES } from './workbook';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Staff import plans; administrators will import projects (README, "Imports"). */
const importers = ['staff', 'admin'] as const;

/** A column mapping is a few kilobytes of JSON (about thirty columns with Chinese names); 64 KB leaves room and no more. */
const upload = multer({ storage: multer.memoryStorage(), limits: { files: 1, fields: 8, fieldSize: 64 * 1024, fileSize: MAX_IMPORT_BYTES } });

/** A multipart field carrying JSON, checked with its schema: 422 on `field` when it is not JSON or not of that shape. */
function jsonField<T>(value: unknown, field: string, schema: z.ZodType<T>, what: string): T | undefined {
  if (value === undefined || value === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(value));
  } catch {
    throw invalid([{ path: field, message: `${what}应为 JSON` }]);
  }
  const checked = schema.safeParse(parsed);
  if (!checked.success) throw invalid(fieldErrorsOf(checked.error.issues, [field]));
  return checked.data;
}

/** The uploaded file and the kind chosen, or a 422 saying which is missing. */
function uploadedFile(req: { body?: { kind?: unknown }; file?: Express.Multer.File }) {
  const chosen = kind.safeParse(req.body?.kind);
  if (!chosen.success) throw invalid([{ path: 'kind', message: '请选择导入类型' }]);
  if (!req.file) throw invalid([{ path: 'file', message: '请选择要导入的 Excel 文件' }]);
  return { kind: chosen.data, bytes: req.file.buffer, fileName: sanitizeOriginalName(decodeUploadedName(req.file.originalname)) };
}

const kind = z.enum(importKindNames).describe('plans 年度计划；projects 项目（含资金记录）');
/** The form fields every upload of a workbook has. */
const workbookUpload = { kind, file: z.string().meta({ format: 'binary', description: '.xlsx 工作簿' }) };

const importSchema = z
  .object({
    id: z.string(),
    kind,
    fileName: z.string(),
    state: z.enum(importStates).describe('checked 已检查未导入；committed 导入中；applied 已导入'),
    rows: z.array(z.object({ row: z.number().int(), value: z.unknown() })).describe('检查通过的行'),
    errors: z.array(z.object({ row: z.number().int(), column: z.string(), message: z.string() })).describe('逐行逐列的错误；有错误时不能导入'),
    needsMapping: z.boolean().optional().describe('文件与模板不一致：须先把列对应到模板（POST /api/imports/columns）'),
    createdAt: z.string(),
    committedAt: z.string().optional(),
  })
  .meta({ id: 'Import' });

const columnsSchema = z
  .object({
    template: z.array(z.object({ sheet: z.string(), required: z.boolean(), columns: z.array(z.object({ key: z.string(), header: z.string(), required: z.boolean() })) })).describe('模板的工作表及其列'),
    sheets: z.array(z.object({ name: z.string(), headerRow: z.number().int(), headers: z.array(z.object({ header: z.string(), sample: z.string().optional() })) })).describe('文件的工作表：表头行、表头及其下第一个值'),
    suggested: columnMappingSchema,
    remembered: z.boolean().describe('建议来自上次同样表头的台账所用的对应'),
  })
  .meta({ id: 'ImportColumns' });

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
      requestContent: {
        'multipart/form-data': {
          schema: z.object({
            ...workbookUpload,
            mapping: z.string().optional().describe('贵单位台账的列如何对应到模板（JSON，见 ColumnMapping；由 POST /api/imports/columns 建议）；按模板填写的文件不用'),
          }),
        },
      },
      before: [upload.single('file')],
      responses: { 201: { description: '检查结果；文件与模板不一致且没有给出对应时，needsMapping 为 true', schema: z.object({ import: importSchema }) } },
    },
    async ({ user, req }) => {
      const file = uploadedFile(req);
      const mapping = jsonField(req.body?.mapping, 'mapping', columnMappingSchema, '列的对应');
      return { status: 201, body: { import: await checkImport(user, file.kind, file, mapping) } };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/imports/columns',
      tag: '导入',
      summary: '贵单位台账的工作表、表头行、表头及示例值，与模板的列对照，并建议对应方式（不保存任何数据）',
      access: importers,
      requestContent: {
        'multipart/form-data': {
          schema: z.object({
            ...workbookUpload,
            headerRows: z.string().optional().describe('指定的表头行（JSON：工作表名称 → 行号）；不给出时自动识别'),
          }),
        },
      },
      before: [upload.single('file')],
      responses: { 200: { description: '模板的列、文件的列与建议的对应', schema: columnsSchema } },
    },
    async ({ user, req }) => {
      const file = uploadedFile(req);
      const headerRows = jsonField(req.body?.headerRows, 'headerRows', headerRowsSchema, '表头行');
      return { body: await importColumns(user, file.kind, file.bytes, headerRows) };
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
