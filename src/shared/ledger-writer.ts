import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { toWan } from '../../workflows/units';

export type CellValue = string | number | undefined;

/** One column of a ledger: its Chinese header, how a row fills it, and how the totals row sums it up. */
export interface LedgerColumn<R> {
  header: string;
  value: (row: R) => CellValue;
  /** `amount`: yuan in, 万元 with two decimals out; `percent`: a share from 0 to 1. */
  format?: 'amount' | 'percent';
  /** `sum` adds the column up; `count` counts its filled cells. Both follow the sheet's filter (SUBTOTAL). */
  total?: 'sum' | 'count';
}

export interface LedgerSheet<R> {
  title: string;
  columns: LedgerColumn<R>[];
  /** Lines below the totals, such as the sentence a report quotes. */
  notes?: string[];
}

export const numberFormats = { amount: '#,##0.00', percent: '0.0%' } as const;
const subtotalFunction = { sum: 109, count: 103 } as const;
/** Rows held back to measure column widths before the first row is written. */
const WIDTH_SAMPLE_ROWS = 200;
const MAX_WIDTH = 60;

/** Columns as Excel counts them: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return width;
}

function shown(value: CellValue, format: LedgerColumn<unknown>['format']): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return format === 'amount' ? value.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : format === 'percent' ? `${(value * 100).toFixed(1)}%` : String(value);
}

/** What a cell holds for a value in the column's format: amounts go in as 万元. */
export function cellOf(value: CellValue, format: LedgerColumn<unknown>['format']): CellValue {
  if (typeof value === 'string') return xmlSafe(value);
  return format === 'amount' && typeof value === 'number' ? toWan(value) : value;
}

/** Characters XML 1.0 cannot hold (most control characters, lone surrogates, U+FFFE/U+FFFF). */
// eslint-disable-next-line no-control-regex -- these very characters are what is looked for
const NOT_IN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as a workbook can hold it: a workbook is XML, and one such character in a cell (a project name typed with
 * a control character, which the API stores as typed) makes Excel refuse the whole file. Each becomes U+FFFD, so
 * that the cell still shows something was there.
 */
export const xmlSafe = (text: string): string => text.replace(NOT_IN_XML, '\uFFFD');

/** Resolves when `out` can take more, or is gone (a client that hung up never drains). */
const writable = (out: Writable) =>
  new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });

const columnLetter = (index: number) => {
  let n = index;
  let letters = '';
  while (n > 0) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
};

export type StreamingWorkbook = ExcelJS.stream.xlsx.WorkbookWriter;

/** A workbook written to `out` as it is made: each sheet is finished before the next one starts. */
export const streamingWorkbook = (out: Writable): StreamingWorkbook =>
  new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });

/** Streams one ledger to `out` as a workbook of one sheet; returns the number of rows. */
export async function writeLedger<R>(out: Writable, sheet: LedgerSheet<R>, rows: AsyncIterable<R> | Iterable<R>): Promise<number> {
  const workbook = streamingWorkbook(out);
  const count = await addLedgerSheet(workbook, out, sheet, rows);
  if (!out.destroyed) await workbook.commit();
  return count;
}

/**
 * Adds one ledger sheet to a workbook streaming to `out`: a frozen header with
 * filters, a 序号 column, widths measured on the first rows, a totals row
 * whose SUBTOTAL formulas carry their computed value, and the sheet's notes. Rows are written as they
 * come, and writing pauses while `out` is full, so memory does not grow with the rows.
 */
export async function addLedgerSheet<R>(workbook: StreamingWorkbook, out: Writable, sheet: LedgerSheet<R>, rows: AsyncIterable<R> | Iterable<R>): Promise<number> {
  const worksheet = workbook.addWorksheet(sheet.title, { views: [{ state: 'frozen', xSplit: 2, ySplit: 1 }] });
  const columns = [{ header: '序号', value: () => undefined } as LedgerColumn<R>, ...sheet.columns];
  const totals = columns.map(() => 0);
  const sample: CellValue[][] = [];
  let count = 0;
  let started = false;

  const start = () => {
    worksheet.columns = columns.map((column, i) => ({
      header: column.header,
      width: Math.min(MAX_WIDTH, Math.max(displayWidth(column.header), ...sample.map((r) => displayWidth(shown(r[i], column.format))))) + 2,
      style: column.format ? { numFmt: numberFormats[column.format] } : {},
    }));
    const header = worksheet.getRow(1);
    header.font = { bold: true };
    header.alignment = { vertical: 'middle', horizontal: 'center' };
    header.commit();
    for (const values of sample) worksheet.addRow(values).commit();
    started = true;
  };

  for await (const row of rows) {
    if (out.destroyed) break;
    count++;
    const values = columns.map((column, i) => {
      const value = i === 0 ? count : column.value(row);
      if (column.total === 'sum' && typeof value === 'number') totals[i]! += value;
      if (column.total === 'count' && value !== undefined && value !== '') totals[i]! += 1;
      return cellOf(value, column.format);
    });
    if (started) {
      worksheet.addRow(values).commit();
      if (out.writableNeedDrain) await writable(out);
    } else {
      sample.push(values);
      if (sample.length === WIDTH_SAMPLE_ROWS) start();
    }
  }
  if (out.destroyed) return count;
  if (!started) start();

  const lastRow = count + 1;
  const totalsRow = worksheet.addRow(
    columns.map((column, i) => {
      if (i === 0) return '合计';
      if (!column.total) return undefined;
      const result = cellOf(totals[i], column.format) as number;
      if (count === 0) return result;
      const range = `${columnLetter(i + 1)}2:${columnLetter(i + 1)}${lastRow}`;
      return { formula: `SUBTOTAL(${subtotalFunction[column.total]},${range})`, result };
    }),
  );
  totalsRow.font = { bold: true };
  totalsRow.commit();
  for (const note of sheet.notes ?? []) worksheet.addRow([note]).commit();
  worksheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: lastRow, column: columns.length } };
  worksheet.commit();
  return count;
}
