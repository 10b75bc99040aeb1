import type { DocumentSpec } from './document';
import { importAppendices, layoutAppendices, pageCountOf, type ImportedAppendix } from './appendices';
import { layoutBlock } from './blocks';
import { layoutCover } from './cover';
import { Flow, MARGIN, SIZE, type LaidOutPage } from './flow';
import type { FontSet, Weight } from './fonts';
import { PdfWriter, type OutlineEntry } from './pdf-writer';

/** The bundle's pages in order: our own, or pages that come from an appended file. */
type Slot = { kind: 'laid'; page: LaidOutPage } | { kind: 'appended'; appendix: ImportedAppendix };

const footerText = (page: number, total: number) => `第 ${page} 页 共 ${total} 页`;

/**
 * Running header and page number, added once the page count is known. The first page has no header: it
 * is the cover, or the page that opens with the document's title.
 */
function decorate(flow: Flow, page: LaidOutPage, index: number, total: number, header: DocumentSpec['header']): void {
  const small = { size: SIZE.xiaoWu, gray: 0.35 };
  const contentWidth = page.size.width - 2 * MARGIN;
  if (index > 0) {
    const top = MARGIN - 30;
    const rightWidth = flow.width(header.right, small);
    const left = flow.ellipsize(header.left, contentWidth - rightWidth - 24, small);
    page.ops.push({ op: 'text', x: MARGIN, y: top, size: small.size, weight: 'regular', text: left, gray: small.gray });
    page.ops.push({ op: 'text', x: MARGIN + contentWidth - rightWidth, y: top, size: small.size, weight: 'regular', text: header.right, gray: small.gray });
    page.ops.push({ op: 'line', x1: MARGIN, y1: top + 5, x2: MARGIN + contentWidth, y2: top + 5, width: 0.5, gray: 0.35 });
  }
  const footer = footerText(index + 1, total);
  const footerWidth = flow.width(footer, { size: SIZE.wuHao });
  page.ops.push({ op: 'text', x: (page.size.width - footerWidth) / 2, y: page.size.height - MARGIN + 34, size: SIZE.wuHao, weight: 'regular', text: footer });
}

/** Our pages with each embedded appendix's own pages right after its divider. */
function sequence(pages: LaidOutPage[], appendices: ImportedAppendix[]): Slot[] {
  const embedded = appendices.filter((a) => a.content.kind !== 'listed');
  const firstDivider = pages.length - embedded.length;
  const slots: Slot[] = pages.slice(0, firstDivider).map((page) => ({ kind: 'laid', page }));
  embedded.forEach((appendix, i) => {
    slots.push({ kind: 'laid', page: pages[firstDivider + i]! });
    slots.push({ kind: 'appended', appendix });
  });
  return slots;
}

const slotPages = (slot: Slot) => (slot.kind === 'laid' ? 1 : pageCountOf(slot.appendix.content));

interface Numbered {
  /** Our pages with their index in the document, for the outline. */
  placed: { page: LaidOutPage; index: number }[];
  /** The page numbers to stamp on appended pages, in order. */
  stamps: string[];
}

/** Puts header and page number on our pages and works out the numbers of the appended ones. */
function numberPages(flow: Flow, slots: Slot[], header: DocumentSpec['header']): Numbered {
  const total = slots.reduce((n, s) => n + slotPages(s), 0);
  const numbered: Numbered = { placed: [], stamps: [] };
  let index = 0;
  for (const slot of slots) {
    if (slot.kind === 'laid') {
      decorate(flow, slot.page, index, total, header);
      numbered.placed.push({ page: slot.page, index });
    } else {
      for (let i = 0; i < slotPages(slot); i++) numbered.stamps.push(footerText(index + i + 1, total));
    }
    index += slotPages(slot);
  }
  return numbered;
}

function draw(writer: PdfWriter, slots: Slot[], stamps: string[]): void {
  const nextStamp = () => stamps.shift() ?? '';
  for (const slot of slots) {
    const content = slot.kind === 'appended' ? slot.appendix.content : undefined;
    if (slot.kind === 'laid') writer.drawLaidOut(slot.page);
    else if (content?.kind === 'pages') for (const page of content.pages) writer.addImported(page, nextStamp());
    else if (content?.kind === 'image') writer.addImage(content.image, nextStamp());
  }
}

/** Every character each weight draws, for the font subsets. */
function charactersOf(pages: LaidOutPage[], extra: string[]): Record<Weight, string> {
  const sets: Record<Weight, Set<string>> = { regular: new Set(extra.join('')), bold: new Set() };
  for (const page of pages) for (const op of page.ops) if (op.op === 'text') for (const char of op.text) sets[op.weight].add(char);
  return { regular: [...sets.regular].join(''), bold: [...sets.bold].join('') };
}

/** Level-1 bookmarks at the top of the outline, level-2 ones under the level-1 before them. */
function outlineOf(placed: { page: LaidOutPage; index: number }[]): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  for (const { page, index } of placed) {
    for (const mark of page.bookmarks) {
      const entry = { title: mark.title, pageIndex: index, y: mark.y };
      const parent = entries.at(-1);
      if (mark.level === 2 && parent) (parent.children ??= []).push(entry);
      else entries.push(entry);
    }
  }
  return entries;
}

/**
 * Lays the document out with the full fonts, embeds subsets of exactly the characters used, and draws it.
 * For a bundle, the accepted files follow the application, each behind its divider page.
 */
export async function renderDocument(spec: DocumentSpec, fonts: FontSet): Promise<Uint8Array> {
  const writer = await PdfWriter.start();
  const flow = new Flow(fonts);
  if (spec.cover) layoutCover(flow, spec.cover);
  flow.newPage();
  for (const block of spec.body) layoutBlock(flow, block);
  const appendices = spec.appendices ? await importAppendices(writer, spec.appendices) : [];
  if (spec.appendices) layoutAppendices(flow, appendices);

  const slots = sequence(flow.pages, appendices);
  const { placed, stamps } = numberPages(flow, slots, spec.header);
  await writer.useFonts(fonts, charactersOf(flow.pages, stamps));
  draw(writer, slots, [...stamps]);
  writer.outline(outlineOf(placed));
  return writer.save(spec.metadata);
}
