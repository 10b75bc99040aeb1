import type ExcelJS from 'exceljs';
import { z } from 'zod';
import { messages } from '../../workflows/messages';
import { chinaDay } from '../../workflows/working-days';
import type { mongo } from 'mongoose';
import { invalid, type FieldError } from '../shared/problem';
import { ImportMappings, type ImportMappingsRecord, type RememberedLayout } from './import.model';
import type { LocatedSheet, LocatedSheets, TemplateSheetSpec } from './import-kind';
import { cellValue, headerText, type ImportColumn, type SheetLayout } from './workbook';

/**
 * A bureau's own ledger mapped onto an import template (docs/domain.md,
 * "Importing from a ledger"): which of the file's sheets holds each template
 * sheet, which row holds its headers, and which of its columns fills each
 * template column. The service suggests a mapping (what staff used last time
 * for a ledger of the same shape, else names compared loosely and a small
 * table of the names ledgers commonly use) and checks the one staff send.
 */

/** Header rows are looked for among the first rows only: a title or two sits above them, never a page. */
export const MAX_HEADER_ROW = 30;
/** How many of the file's sheets and columns are described (a ledger has a few; more is not a ledger). */
const MAX_SHEETS = 30;
const MAX_COLUMNS = 200;
/** How far below the header row a sample value is looked for. */
const SAMPLE_ROWS = 30;
/** How many ledger layouts are remembered per kind of import. */
const REMEMBERED = 20;

/** The mapping of one template sheet: the file's sheet (or none), its header row, and per template column key the file's header. */
export const sheetMappingSchema = z.object({
  sheet: z.string().min(1).max(200).nullable().describe('贵单位文件中的工作表名称；null 表示没有（如没有资金记录）'),
  headerRow: z.number().int().min(1).max(MAX_HEADER_ROW).describe('表头所在的行号'),
  columns: z.record(z.string().max(100), z.string().min(1).max(200)).describe('模板列的 key → 贵单位表头'),
});
export const columnMappingSchema = z.record(z.string().max(100), sheetMappingSchema).describe('模板工作表名称 → 对应方式').meta({ id: 'ColumnMapping' });
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

/** Header rows chosen on the screen, by the file's sheet name. */
export const headerRowsSchema = z.record(z.string().max(200), z.number().int().min(1).max(MAX_HEADER_ROW));

// ---------------------------------------------------------------- names

/**
 * A header as compared: full-width letters, digits and brackets as half-width
 * (NFKC), without spaces, units (万元, 元, %), the template's marks (必填, *)
 * and brackets, so 总投资（万元）, 总投资(万元) and 总投资 万元 read alike.
 */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\(必填\)|\*/g, '')
    .replace(/\((万元|亿元|元|%|年|个)\)/g, '')
    .replace(/万元|亿元/g, '')
    .replace(/[\s()[\]【】:：、]/g, '')
    .replace(/^其中/, '')
    .toLowerCase();
}

/**
 * The names bureaus' ledgers commonly give the template's columns, by the
 * template header (as normalised). The template's own name and names that
 * only differ in width, spaces or units need no entry.
 */
const synonymList: Record<string, readonly string[]> = {
  项目代码: ['项目编码', '统一项目代码', '项目统一代码', '国家项目代码', '赋码', '项目编号'],
  项目名称: ['名称', '项目名'],
  项目单位: ['建设单位', '业主单位', '项目业主', '申报单位', '实施单位', '责任单位'],
  责任单位: ['牵头单位', '主责单位', '实施单位'],
  渠道: ['资金渠道', '申报渠道', '资金类别', '资金来源渠道'],
  领域: ['所属行业', '行业', '所属领域', '行业领域', '行业类别', '项目类别'],
  建设地点: ['建设地址', '项目地点', '地点', '项目地址', '建设位置'],
  建设内容: ['建设内容及规模', '建设规模及内容', '主要建设内容', '建设规模', '主要建设内容及规模'],
  总投资: ['计划总投资', '项目总投资', '总投资额', '估算总投资', '投资总额'],
  申请资金: ['拟申请资金', '申请金额', '申请资金额', '拟申请金额', '申请额度', '拟申请额度'],
  '资金筹措-中央预算内投资': ['中央预算内投资', '中央预算内资金', '中央资金'],
  '资金筹措-地方政府专项债券': ['专项债券', '地方政府专项债券', '专项债', '专项债券资金'],
  '资金筹措-地方财政资金': ['地方财政资金', '地方财政', '财政资金', '本级财政资金'],
  '资金筹措-业主自筹': ['业主自筹', '自筹资金', '企业自筹', '自筹'],
  '资金筹措-其他资金': ['其他资金', '其他'],
  起止年限: ['建设年限', '建设起止年限', '起止年份', '建设周期', '建设期限'],
  计划申报年度: ['申报年度', '拟申报年度', '计划申报年份'],
  存续期项目收益: ['项目收益', '存续期收益', '预期收益'],
  存续期债券本息: ['债券本息', '还本付息', '存续期本息'],
  联系人: ['项目联系人', '责任人', '项目负责人', '负责人'],
  联系电话: ['联系方式', '电话', '手机', '手机号码', '联系人电话'],
  阶段: ['项目阶段', '当前阶段', '所处阶段', '项目状态', '进展阶段'],
  类型: ['资金类型', '记录类型', '资金记录类型'],
  年度: ['年份', '下达年度', '计划年度'],
  金额: ['下达金额', '发行金额', '资金金额', '额度'],
  文号: ['批复文号', '下达文号', '文件文号'],
  日期: ['下达日期', '发行日期', '批复日期'],
  发行批次: ['批次', '债券批次'],
  债券代码: ['债券编码', '债券编号'],
  '期限': ['债券期限', '发行期限'],
  票面利率: ['利率', '发行利率'],
  系统编号: ['项目id', '编号'],
  年度计划投资: ['计划投资', '本年计划投资', '年度投资计划', '本年度计划投资'],
  计划开工: ['计划开工时间', '计划开工日期', '开工时间'],
  计划竣工: ['计划竣工时间', '计划竣工日期', '竣工时间', '计划完工时间'],
  重点项目: ['重点级别', '项目级别', '重点项目类别'],
};
const synonyms = new Map(Object.entries(synonymList).map(([header, names]) => [normaliseHeader(header), new Set(names.map(normaliseHeader))]));

/** How well a file's header names a template column: 3 the same name, 2 a common other name, 1 one name inside the other, 0 not at all. */
function likeness(column: ImportColumn, header: string): number {
  const theirs = normaliseHeader(header);
  const ours = normaliseHeader(column.header);
  if (!theirs) return 0;
  if (theirs === ours) return 3;
  if (synonyms.get(ours)?.has(theirs)) return 2;
  const [shorter, longer] = theirs.length < ours.length ? [theirs, ours] : [ours, theirs];
  return shorter.length >= 2 && longer.includes(shorter) ? 1 : 0;
}

/** Each template column's best header among the file's, each header used once, the closest pairs first. */
function suggestColumns(columns: readonly ImportColumn[], headers: readonly string[]): Record<string, string> {
  const pairs = columns.flatMap((column, c) => headers.map((header, h) => ({ column, header, c, h, score: likeness(column, header) }))).filter((p) => p.score > 0);
  pairs.sort((a, b) => b.score - a.score || a.c - b.c || a.h - b.h);
  const chosen: Record<string, string> = {};
  const used = new Set<string>();
  for (const { column, header } of pairs) {
    if (chosen[column.key] !== undefined || used.has(header)) continue;
    chosen[column.key] = header;
    used.add(header);
  }
  return chosen;
}

// ---------------------------------------------------------------- the file

interface Header {
  header: string;
  sample?: string;
}

interface FileSheet {
  name: string;
  headerRow: number;
  headers: Header[];
}

/** A row's header names, left to right, each once (a merged header repeats its text). */
function headersIn(sheet: ExcelJS.Worksheet, row: number): { header: string; column: number }[] {
  const found: { header: string; column: number }[] = [];
  const seen = new Set<string>();
  sheet.getRow(row).eachCell((cell, column) => {
    if (found.length >= MAX_COLUMNS) return;
    const value = cellValue(cell.value);
    if (typeof value !== 'string') return;
    const header = headerText(cell.value).slice(0, 200);
    if (!header || seen.has(header)) return;
    seen.add(header);
    found.push({ header, column });
  });
  return found;
}

/** What a sample cell shows, short. */
function sampleText(sheet: ExcelJS.Worksheet, from: number, column: number): string | undefined {
  for (let row = from; row < from + SAMPLE_ROWS && row <= sheet.rowCount; row++) {
    const value = cellValue(sheet.getRow(row).getCell(column).value);
    if (value === undefined) continue;
    const text = value instanceof Date ? chinaDay(value) : String(value);
    return text.length > 40 ? `${text.slice(0, 40)}…` : text;
  }
  return undefined;
}

const shapeOf = (headers: readonly string[]) => [...new Set(headers)].sort().join('\u0001');

/**
 * The header row of a ledger's sheet: the row a remembered layout was mapped
 * at, else among the first rows the one with most text cells resembling the
 * template's headers (a title row above has one), the first of equals.
 */
function detectHeaderRow(sheet: ExcelJS.Worksheet, columns: readonly ImportColumn[], remembered: readonly RememberedLayout[]): number {
  let best = { row: 1, score: 0 };
  for (let row = 1; row <= Math.min(MAX_HEADER_ROW, sheet.rowCount); row++) {
    const headers = headersIn(sheet, row).map((h) => h.header);
    if (!headers.length) continue;
    const shape = shapeOf(headers);
    if (remembered.some((r) => shapeOf(r.headers) === shape)) return row;
    const score = headers.filter((header) => columns.some((column) => likeness(column, header) > 0)).length;
    if (score > best.score) best = { row, score };
  }
  return best.row;
}

function describeSheet(sheet: ExcelJS.Worksheet, headerRow: number): FileSheet {
  const headers = headersIn(sheet, headerRow).map(({ header, column }) => ({ header, sample: sampleText(sheet, headerRow + 1, column) }));
  return { name: sheet.name, headerRow, headers };
}

// ---------------------------------------------------------------- remembering

const mappings = () => ImportMappings.collection as unknown as mongo.Collection<ImportMappingsRecord>;

async function rememberedLayouts(kind: string): Promise<RememberedLayout[]> {
  return (await mappings().findOne({ _id: kind }))?.layouts ?? [];
}

/**
 * Keeps the layouts a check used, by the shape of each sheet's headers, so the
 * next ledger of that shape is mapped the same way. One small record per kind,
 * written whole: two checks at the same moment may keep only one of their
 * layouts, which costs a suggestion, nothing more.
 */
export async function rememberLayouts(kind: string, sheets: LocatedSheets, now = new Date()): Promise<void> {
  const fresh: RememberedLayout[] = [];
  for (const [templateSheet, { sheet, layout }] of sheets) {
    if (!sheet || !layout) continue;
    fresh.push({ templateSheet, headers: headersIn(sheet, layout.headerRow).map((h) => h.header).sort(), headerRow: layout.headerRow, columns: layout.columns, usedAt: now });
  }
  if (!fresh.length) return;
  const kept = (await rememberedLayouts(kind)).filter((old) => !fresh.some((f) => f.templateSheet === old.templateSheet && shapeOf(f.headers) === shapeOf(old.headers)));
  await mappings().updateOne({ _id: kind }, { $set: { layouts: [...fresh, ...kept].slice(0, REMEMBERED) } }, { upsert: true });
}

// ---------------------------------------------------------------- suggesting

/**
 * The template's sheets and columns, the file's sheets with their header rows,
 * headers and a sample value under each, and a suggested mapping: per
 * template sheet the file's sheet most like it (none for a sheet the template
 * may go without when the file has nothing like it), and per column the
 * header staff mapped last time for that shape, or the most like it.
 */
export async function describeColumns(kind: string, specs: readonly TemplateSheetSpec[], workbook: ExcelJS.Workbook, headerRows: Record<string, number> = {}) {
  const remembered = await rememberedLayouts(kind);
  const allColumns = specs.flatMap((s) => s.columns);
  const sheets = workbook.worksheets.filter((s) => s.state !== 'hidden' && s.state !== 'veryHidden').slice(0, MAX_SHEETS);
  const described = sheets.map((sheet) => describeSheet(sheet, headerRows[sheet.name] ?? detectHeaderRow(sheet, allColumns, remembered)));
  const taken = new Set<string>();
  const suggested: ColumnMapping = {};
  let fromMemory = false;
  for (const spec of specs) {
    const candidates = described
      .filter((file) => !taken.has(file.name))
      .map((file) => {
        const names = file.headers.map((h) => h.header);
        const memory = remembered.find((r) => r.templateSheet === spec.name && shapeOf(r.headers) === shapeOf(names));
        const columns = memory
          ? Object.fromEntries(Object.entries(memory.columns).filter(([key, header]) => names.includes(header) && spec.columns.some((c) => c.key === key)))
          : suggestColumns(spec.columns, names);
        const complete = spec.columns.every((c) => !c.required || columns[c.key] !== undefined);
        const score = (memory ? 1000 : 0) + (file.name === spec.name ? 500 : 0) + Object.keys(columns).length;
        return { file, columns, complete, memory: Boolean(memory), score };
      })
      .sort((a, b) => b.score - a.score);
    const best = candidates.find((c) => spec.required || c.memory || c.complete);
    if (!best) {
      suggested[spec.name] = { sheet: null, headerRow: 1, columns: {} };
      continue;
    }
    taken.add(best.file.name);
    fromMemory ||= best.memory;
    suggested[spec.name] = { sheet: best.file.name, headerRow: best.file.headerRow, columns: best.columns };
  }
  return {
    template: specs.map((spec) => ({ sheet: spec.name, required: spec.required, columns: spec.columns.map((c) => ({ key: c.key, header: c.header, required: Boolean(c.required) })) })),
    sheets: described,
    suggested,
    remembered: fromMemory,
  };
}

// ---------------------------------------------------------------- checking a mapping

/**
 * The template's sheets as a mapping places them in the workbook, or a 422
 * naming everything wrong with it: a sheet the template needs left out, a
 * sheet or header the file does not have, a required column left unmapped.
 */
export function locateByMapping(specs: readonly TemplateSheetSpec[], workbook: ExcelJS.Workbook, mapping: ColumnMapping): LocatedSheets {
  const problems: FieldError[] = [];
  const located = new Map<string, LocatedSheet>();
  const usedBy = new Map<string, string>();
  for (const name of Object.keys(mapping)) {
    if (!specs.some((s) => s.name === name)) problems.push({ path: `mapping.${name}`, message: messages.mappingNoSuchTemplateSheet(name) });
  }
  for (const spec of specs) {
    const chosen = mapping[spec.name];
    if (!chosen?.sheet) {
      if (spec.required) problems.push({ path: `mapping.${spec.name}.sheet`, message: messages.mappingSheetMissing(spec.name) });
      located.set(spec.name, {});
      continue;
    }
    const sheet = workbook.getWorksheet(chosen.sheet);
    if (!sheet) {
      problems.push({ path: `mapping.${spec.name}.sheet`, message: messages.mappingNoSuchSheet(chosen.sheet) });
      continue;
    }
    const other = usedBy.get(chosen.sheet);
    if (other) problems.push({ path: `mapping.${spec.name}.sheet`, message: messages.mappingSheetTwice(spec.name, other, chosen.sheet) });
    usedBy.set(chosen.sheet, spec.name);
    const headers = new Set(headersIn(sheet, chosen.headerRow).map((h) => h.header));
    for (const key of Object.keys(chosen.columns)) {
      const column = spec.columns.find((c) => c.key === key);
      if (!column) problems.push({ path: `mapping.${spec.name}.columns.${key}`, message: messages.mappingNoSuchColumn(spec.name) });
      else if (!headers.has(chosen.columns[key]!)) problems.push({ path: `mapping.${spec.name}.columns.${key}`, message: messages.mappingHeaderNotInRow(column.header, chosen.columns[key]!, chosen.sheet, chosen.headerRow) });
    }
    for (const column of spec.columns) {
      if (column.required && !chosen.columns[column.key]) problems.push({ path: `mapping.${spec.name}.columns.${column.key}`, message: messages.mappingRequiredColumn(spec.name, column.header) });
    }
    const layout: SheetLayout = { headerRow: chosen.headerRow, columns: { ...chosen.columns } };
    located.set(spec.name, { sheet, layout });
  }
  if (problems.length) throw invalid(problems, messages.mappingRefused);
  return located;
}

/** The template's sheets found by their names, as in a workbook filled from the template; the first template sheet falls back to the first sheet. */
export function locateByName(specs: readonly TemplateSheetSpec[], workbook: ExcelJS.Workbook): LocatedSheets {
  return new Map(specs.map((spec, i) => [spec.name, { sheet: workbook.getWorksheet(spec.name) ?? (i === 0 ? workbook.worksheets[0] : undefined) }]));
}
