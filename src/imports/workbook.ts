import { messages } from '../../workflows/messages';
import ExcelJS from 'exceljs';
import { resolveZipKind, zipCentralDirectory } from '../dossier/storage';
import { Problem } from '../shared/problem';
import { xmlSafe } from '../shared/ledger-writer';

/**
 * Reading and writing the one-sheet workbooks imports use: a header row of
 * Chinese column names, then one record per row. What a kind of import reads
 * and checks is its own business (import-kinds.ts); this only turns bytes into
 * cells and cells into bytes, within bounds a hostile file cannot stretch.
 */
export interface ImportColumn {
  key: string;
  header: string;
  required?: boolean;
  /** Shown as the header cell's note in the template. */
  note?: string;
  /** Values offered as a drop-down in the template. */
  choices?: readonly string[];
  width?: number;
}

export type Cell = string | number | boolean | Date | undefined;

export interface SheetRow {
  /** The row number Excel shows. */
  row: number;
  cells: Record<string, Cell>;
}

export interface CellError {
  row: number;
  column: string;
  message: string;
}

export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
/** What the parts of a workbook may inflate to, as its directory declares them. */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 10_000;

const unreadable = (detail: string) => new Problem(415, messages.importUnreadableTitle, detail);

/** Refuses anything but an .xlsx whose parts stay small when inflated, before it is inflated. */
function checkWorkbookBytes(bytes: Buffer): void {
  if (resolveZipKind(bytes, bytes.length) !== 'xlsx') throw unreadable('请上传 Excel 工作簿（.xlsx），可先下载导入模板填写');
  const inflated = (zipCentralDirectory(bytes, bytes.length) ?? []).reduce((total, entry) => total + entry.uncompressedSize, 0);
  if (inflated > MAX_INFLATED_BYTES) throw unreadable('工作簿内容过大，请分批导入');
}

/** The value a cell shows: formulas by their result, rich text and links by their text. */
export function cellValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('richText' in value) return cellValue(value.richText.map((part) => part.text).join(''));
  if ('result' in value) return cellValue(value.result as ExcelJS.CellValue);
  if ('text' in value) return cellValue(String(value.text));
  return undefined;
}

/** A header as written, without the marks the template adds (“（必填）”, “*”). */
const bareHeader = (text: string) => text.replace(/（必填）|\(必填\)|\*/g, '').trim();

/** The workbook in the bytes, refused unless it is a sound .xlsx within bounds. */
export async function loadWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  checkWorkbookBytes(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as the pre-generic Buffer.
    await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    throw unreadable('工作簿已损坏或不是 Excel 文件');
  }
  return workbook;
}

/**
 * Where a sheet's columns are when it is not laid out like the template (a
 * bureau's own ledger mapped onto it, docs/domain.md, "Importing from a
 * ledger"): the row holding the headers, and per template column the header
 * the file gives it.
 */
export interface SheetLayout {
  headerRow: number;
  columns: Record<string, string>;
}

/** A header cell's text, trimmed (merged and rich-text cells as they show). */
export const headerText = (value: ExcelJS.CellValue): string => String(cellValue(value) ?? '').trim();

/**
 * A sheet's rows, keyed by column; every header the columns require must be
 * there. Without a layout the headers are the template's, in row 1; with one,
 * the file's own, in its header row. Rows keep the numbers Excel shows, and
 * `label` names a column in errors: the template's header, and the file's own
 * when it differs.
 */
export function sheetRows(sheet: ExcelJS.Worksheet, columns: readonly ImportColumn[], layout?: SheetLayout): { rows: SheetRow[]; errors: CellError[]; label: (key: string) => string } {
  const headerRow = layout?.headerRow ?? 1;
  const positions = new Map<string, number>();
  sheet.getRow(headerRow).eachCell((cell, index) => {
    const text = headerText(cell.value);
    // One of the file's columns may fill several of the template's (建设单位 as both 项目单位 and 责任单位); the first of equal headers counts.
    const matching = layout ? columns.filter((c) => layout.columns[c.key] === text) : columns.filter((c) => c.header === bareHeader(text));
    for (const column of matching) if (!positions.has(column.key)) positions.set(column.key, index);
  });
  const header = (key: string) => columns.find((c) => c.key === key)?.header ?? key;
  const theirs = (key: string) => layout?.columns[key];
  const label = (key: string) => {
    const their = theirs(key);
    return their && their !== header(key) ? messages.mappedColumn(header(key), their) : header(key);
  };
  const errors: CellError[] = layout
    ? Object.keys(layout.columns)
        .filter((key) => !positions.has(key))
        .map((key) => ({ row: headerRow, column: label(key), message: messages.mappedHeaderMissing(theirs(key)!, headerRow) }))
    : missingTemplateHeaders(sheet, columns).map((c) => ({ row: 1, column: c.header, message: messages.importColumnMissing(c.header) }));
  if (errors.length) return { rows: [], errors, label };
  if (sheet.actualRowCount - headerRow > MAX_IMPORT_ROWS) throw new Problem(413, messages.importTooManyRowsTitle, messages.importTooManyRows(MAX_IMPORT_ROWS));
  const rows: SheetRow[] = [];
  sheet.eachRow((row, number) => {
    if (number <= headerRow) return;
    if (layout && isTotalRow(row)) return;
    const cells = Object.fromEntries([...positions].map(([key, index]) => [key, cellValue(row.getCell(index).value)]));
    if (Object.values(cells).some((value) => value !== undefined)) rows.push({ row: number, cells });
  });
  return { rows, errors, label };
}

/** A ledger's total line (合计, 总计, 小计): its sums are not a record, and ledgers commonly end with one. */
const isTotalRow = (row: ExcelJS.Row): boolean => {
  let total = false;
  row.eachCell((cell) => {
    total ||= /^(合计|总计|小计)$/.test(headerText(cell.value).replace(/\s/g, ''));
  });
  return total;
};

/** The required template headers row 1 of a sheet lacks: none when it is laid out like the template. */
export function missingTemplateHeaders(sheet: ExcelJS.Worksheet, columns: readonly ImportColumn[]): ImportColumn[] {
  const found = new Set<string>();
  sheet.getRow(1).eachCell((cell) => found.add(bareHeader(headerText(cell.value))));
  return columns.filter((c) => c.required && !found.has(c.header));
}

/** A day as a cell gives it (a date, or text such as 2026-03-01, 2026/3/1, 2026年3月1日), as YYYY-MM-DD; other text as it is, for the schema to refuse. */
export const cellDay = (cell: Cell): string | undefined => {
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  if (typeof cell !== 'string') return cell === undefined ? undefined : String(cell);
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(cell);
  return match ? `${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}` : cell;
};

/** A number as a cell gives it (thousands separators allowed), or undefined. */
export const cellNumber = (cell: Cell): number | undefined => {
  const value = typeof cell === 'string' ? Number(cell.replace(/[,，\s]/g, '')) : cell;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

/** One sheet of a template: its columns and the rows it comes with. */
export interface TemplateSheet {
  title: string;
  columns: readonly ImportColumn[];
  rows: readonly Record<string, Cell>[];
}

/** A template: the header row with notes and drop-downs, frozen, and the rows given (prefilled), plus a sheet of instructions. */
export function writeTemplate(title: string, columns: readonly ImportColumn[], rows: readonly Record<string, Cell>[], instructions: readonly string[]): Promise<Buffer> {
  return writeWorkbook([{ title, columns, rows }], instructions);
}

/**
 * A template of several sheets. A drop-down's choices are listed on a hidden
 * sheet and the cells point there: Excel refuses a list written inline longer
 * than 255 characters (the names of every organisation).
 */
export async function writeWorkbook(sheets: readonly TemplateSheet[], instructions: readonly string[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const lists: (readonly string[])[] = [];
  for (const { title, columns, rows } of sheets) {
    const sheet = workbook.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((c) => ({ header: c.required ? `${c.header}（必填）` : c.header, key: c.key, width: c.width ?? 16 }));
    sheet.getRow(1).font = { bold: true };
    columns.forEach((column, i) => {
      if (column.note) sheet.getRow(1).getCell(i + 1).note = column.note;
    });
    for (const row of rows) sheet.addRow(Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'string' ? xmlSafe(value) : value])));
    // Drop-downs for the rows given and a few hundred more, so staff can add rows.
    const lastRow = Math.max(rows.length + 1, 500);
    columns.forEach((column, i) => {
      if (!column.choices?.length) return;
      lists.push(column.choices);
      const letter = sheet.getColumn(i + 1).letter;
      const range = `选项!$${columnLetter(lists.length)}$1:$${columnLetter(lists.length)}$${column.choices.length}`;
      (sheet as unknown as { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } }).dataValidations.add(`${letter}2:${letter}${lastRow}`, { type: 'list', allowBlank: true, formulae: [range], showErrorMessage: true, errorTitle: '请从下拉列表中选择', error: `“${column.header}”请从下拉列表中选择` });
    });
  }
  const help = workbook.addWorksheet('填写说明');
  help.getColumn(1).width = 100;
  for (const line of instructions) help.addRow([line]);
  const choices = workbook.addWorksheet('选项', { state: 'hidden' });
  lists.forEach((list, i) => list.forEach((choice, r) => (choices.getRow(r + 1).getCell(i + 1).value = xmlSafe(choice))));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A column's letter (1 → A, 27 → AA). */
function columnLetter(n: number): string {
  let text = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) text = String.fromCharCode(65 + ((k - 1) % 26)) + text;
  return text;
}
