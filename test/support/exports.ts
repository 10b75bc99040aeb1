import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * Reading exported files back as their readers do: a PDF's text, metadata and
 * bookmarks (pdf.js), one of its pages as a picture, and a workbook's sheets
 * with their totals rows (exceljs).
 */
export interface PageText {
  text: string;
  items: { str: string; x: number; y: number; width: number }[];
  width: number;
  height: number;
}

const openPdf = (bytes: Buffer) => getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;

/** What a reader's PDF software finds in the file: text per page, metadata and bookmarks. */
export async function readPdf(bytes: Buffer) {
  const doc = await openPdf(bytes);
  const pages: PageText[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const [, , width, height] = page.view as [number, number, number, number];
    const items = (await page.getTextContent()).items
      .filter((i): i is typeof i & { str: string; transform: number[]; width: number } => 'str' in i)
      .map((i) => ({ str: i.str, x: i.transform[4]!, y: i.transform[5]!, width: i.width }));
    pages.push({ text: items.map((i) => i.str).join(''), items, width, height });
  }
  const { info } = (await doc.getMetadata()) as unknown as { info: Record<string, string> };
  const outline = ((await doc.getOutline()) ?? []) as { title: string; items: { title: string }[] }[];
  await doc.destroy();
  return { pages, info, outline, text: pages.map((p) => p.text).join('\n') };
}

interface PngCanvas {
  toBuffer(type: 'image/png'): Buffer;
}

/**
 * Page `number` drawn as a reader's screen shows it (pdf.js drawing the embedded glyphs, on the canvas pdf.js
 * brings for Node), as PNG: to look at, since extracted text says nothing about glyphs that do not show.
 */
export async function renderPage(bytes: Buffer, number: number, scale = 1.5): Promise<Buffer> {
  const doc = await openPdf(bytes);
  try {
    const page = await doc.getPage(number);
    const viewport = page.getViewport({ scale });
    const { canvas, context } = (doc as unknown as { canvasFactory: { create(w: number, h: number): { canvas: PngCanvas; context: unknown } } }).canvasFactory.create(
      viewport.width,
      viewport.height,
    );
    await page.render({ canvasContext: context, viewport, canvas } as unknown as Parameters<typeof page.render>[0]).promise;
    return canvas.toBuffer('image/png');
  } finally {
    await doc.destroy();
  }
}

export async function loadWorkbook(body: unknown): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  // exceljs types its input as the pre-generic Buffer.
  await workbook.xlsx.load(body as Parameters<typeof workbook.xlsx.load>[0]);
  return workbook;
}

/** A ledger-style sheet: its header row, its data rows by header, and its totals row (合计 in 序号). */
export function readSheet(sheet: ExcelJS.Worksheet) {
  const headers = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
  const rows: Record<string, unknown>[] = [];
  let totals: Record<string, unknown> = {};
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const values = (row.values as unknown[]).slice(1);
    const record = Object.fromEntries(headers.map((h, i) => [h, values[i]]));
    if (record['序号'] === '合计') totals = record;
    else rows.push(record);
  });
  return { sheet, headers, rows, totals };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The totals cell's formula must cover exactly the data rows, and its cached value must be what those rows add up to. */
export function checkTotal(book: ReturnType<typeof readSheet>, header: string, kind: 'sum' | 'count'): number {
  const cell = book.totals[header] as { formula: string; result: number };
  const column = book.sheet.getRow(1).values as unknown[];
  const letter = String.fromCharCode(64 + column.indexOf(header));
  expect(cell.formula, header).to.equal(`SUBTOTAL(${kind === 'sum' ? 109 : 103},${letter}2:${letter}${book.rows.length + 1})`);
  const cells = book.rows.map((r) => r[header]).filter((v) => v !== undefined && v !== null && v !== '');
  const computed = kind === 'sum' ? sum(cells as number[]) : cells.length;
  expect(cell.result, header).to.be.closeTo(computed, 1e-6);
  return cell.result;
}
