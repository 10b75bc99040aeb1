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
function cellValue(value: ExcelJS.CellValue): Cell {
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

/** The first sheet's rows, keyed by column; every header the columns require must be there. */
export async function readSheet(bytes: Buffer, columns: readonly ImportColumn[]): Promise<{ rows: SheetRow[]; errors: CellError[] }> {
  checkWorkbookBytes(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as the pre-generic Buffer.
    await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    throw unreadable('工作簿已损坏或不是 Excel 文件');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw unreadable('工作簿中没有工作表');
  const positions = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, index) => {
    const column = columns.find((c) => c.header === bareHeader(String(cellValue(cell.value) ?? '')));
    if (column) positions.set(column.key, index);
  });
  const errors: CellError[] = columns
    .filter((c) => c.required && !positions.has(c.key))
    .map((c) => ({ row: 1, column: c.header, message: `缺少“${c.header}”列，请使用导入模板` }));
  if (errors.length) return { rows: [], errors };
  if (sheet.actualRowCount - 1 > MAX_IMPORT_ROWS) throw new Problem(413, messages.importTooManyRowsTitle, messages.importTooManyRows(MAX_IMPORT_ROWS));
  const rows: SheetRow[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const cells = Object.fromEntries([...positions].map(([key, index]) => [key, cellValue(row.getCell(index).value)]));
    if (Object.values(cells).some((value) => value !== undefined)) rows.push({ row: number, cells });
  });
  return { rows, errors };
}

/** A template: the header row with notes and drop-downs, frozen, and the rows given (prefilled), plus a sheet of instructions. */
export async function writeTemplate(title: string, columns: readonly ImportColumn[], rows: readonly Record<string, Cell>[], instructions: readonly string[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
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
    if (!column.choices) return;
    for (let r = 2; r <= lastRow; r++) {
      sheet.getRow(r).getCell(i + 1).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${column.choices.join(',')}"`] };
    }
  });
  const help = workbook.addWorksheet('填写说明');
  help.getColumn(1).width = 100;
  for (const line of instructions) help.addRow([line]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
