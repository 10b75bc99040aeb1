import { readFile } from 'node:fs/promises';
import type { PDFImage, PDFPage } from 'pdf-lib';
import type { AppendixSpec, TableBlock } from './document';
import { layoutBlock } from './blocks';
import { Flow, MARGIN, SIZE, type TextStyle } from './flow';
import { NotEmbeddable, type PdfWriter } from './pdf-writer';

export type AppendixContent = { kind: 'pages'; pages: PDFPage[] } | { kind: 'image'; image: PDFImage } | { kind: 'listed'; reason: string };

export interface ImportedAppendix {
  number: number;
  spec: AppendixSpec;
  content: AppendixContent;
}

export const pageCountOf = (content: AppendixContent) => (content.kind === 'pages' ? content.pages.length : content.kind === 'image' ? 1 : 0);

async function importContent(writer: PdfWriter, spec: AppendixSpec): Promise<AppendixContent> {
  if (!spec.source) return { kind: 'listed', reason: spec.listedOnly ?? '仅列明，未附入' };
  try {
    const bytes = await readFile(spec.source.path);
    return spec.source.kind === 'pdf'
      ? { kind: 'pages', pages: await writer.importPdf(bytes) }
      : { kind: 'image', image: await writer.importImage(spec.source.kind, bytes) };
  } catch (error) {
    if (error instanceof NotEmbeddable) return { kind: 'listed', reason: error.message };
    if ((error as { code?: string }).code === 'ENOENT') return { kind: 'listed', reason: '原件缺失，未能附入' };
    throw error;
  }
}

/** Reads and copies in every file to append, one after the other so that object numbers stay fixed. */
export async function importAppendices(writer: PdfWriter, specs: AppendixSpec[]): Promise<ImportedAppendix[]> {
  const imported: ImportedAppendix[] = [];
  for (const [i, spec] of specs.entries()) imported.push({ number: i + 1, spec, content: await importContent(writer, spec) });
  return imported;
}

const pageRange = (first: number, last: number) => (first === last ? `第 ${first} 页` : `第 ${first}–${last} 页`);

/** First and last bundle page of each embedded appendix (its divider included), the first divider on `firstPage`. */
function pageRanges(appendices: ImportedAppendix[], firstPage: number): Map<number, [number, number]> {
  const ranges = new Map<number, [number, number]>();
  let next = firstPage;
  for (const appendix of appendices) {
    const count = pageCountOf(appendix.content);
    if (count === 0) continue;
    ranges.set(appendix.number, [next, next + count]);
    next += count + 1;
  }
  return ranges;
}

function contentsTable(appendices: ImportedAppendix[], ranges: Map<number, [number, number]>): TableBlock {
  return {
    type: 'table',
    columns: [{ width: 8, align: 'center' }, { width: 30 }, { width: 40 }, { width: 22, align: 'center' }],
    header: ['序号', '材料名称', '文件名', '页码'],
    rows: appendices.map((a) => {
      const range = ranges.get(a.number);
      const content = a.content;
      return [`附件${a.number}`, a.spec.title, a.spec.fileName, range ? pageRange(...range) : content.kind === 'listed' ? content.reason : ''];
    }),
  };
}

function layoutContents(flow: Flow, appendices: ImportedAppendix[], ranges: Map<number, [number, number]>): void {
  flow.newPage();
  layoutBlock(flow, { type: 'heading', level: 1, text: '附件目录' });
  layoutBlock(flow, contentsTable(appendices, ranges));
  if (appendices.some((a) => a.content.kind === 'listed')) {
    layoutBlock(flow, { type: 'paragraph', size: SIZE.wuHao, text: '注：OFD、Word、Excel、压缩包等不能直接并入本文件的材料仅列明于此，原件请在系统中查阅。' });
  }
}

const DIVIDER_NUMBER: TextStyle = { size: 22, weight: 'bold' };
const DIVIDER_TITLE: TextStyle = { size: SIZE.xiaoEr, weight: 'bold' };

function layoutDivider(flow: Flow, appendix: ImportedAppendix, range: [number, number]): void {
  // Placed for an upright page, whichever way the body's last page was turned.
  flow.newPage('portrait');
  flow.mark(`附件${appendix.number}\u3000${appendix.spec.title}`, 1);
  flow.y = 230;
  flow.textLine(`附件 ${appendix.number}`, MARGIN, flow.y, flow.contentWidth, 40, DIVIDER_NUMBER, 'center');
  flow.y += 56;
  for (const line of flow.wrapBalanced(appendix.spec.title, flow.contentWidth, DIVIDER_TITLE)) {
    flow.textLine(line, MARGIN, flow.y, flow.contentWidth, 30, DIVIDER_TITLE, 'center');
    flow.y += 30;
  }
  flow.y += 30;
  const details = [...appendix.spec.details, { label: '所在页码', value: `${pageRange(range[0] + 1, range[1])}（共 ${range[1] - range[0]} 页）` }];
  layoutBlock(flow, {
    type: 'table',
    columns: [{ width: 26 }, { width: 74 }],
    rows: [[{ text: '文件名', shade: true, align: 'center' }, appendix.spec.fileName], ...details.map((d) => [{ text: d.label, shade: true, align: 'center' as const }, d.value])],
  });
}

/**
 * Lays out the contents page(s) and one divider page per embedded appendix after the application's
 * `applicationPages` pages. The contents are laid out apart first: the page numbers they give depend on
 * how many pages they take themselves.
 */
export function layoutAppendices(flow: Flow, appendices: ImportedAppendix[]): void {
  const applicationPages = flow.pages.length;
  let contents: Flow;
  let ranges: Map<number, [number, number]>;
  let contentsPages = 1;
  for (;;) {
    ranges = pageRanges(appendices, applicationPages + contentsPages + 1);
    contents = new Flow(flow.fonts);
    layoutContents(contents, appendices, ranges);
    if (contents.pages.length === contentsPages) break;
    contentsPages = contents.pages.length;
  }
  flow.pages.push(...contents.pages);
  for (const appendix of appendices) {
    const range = ranges.get(appendix.number);
    if (range) layoutDivider(flow, appendix, range);
  }
}
