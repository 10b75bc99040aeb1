import {
  EncryptedPDFError,
  PDFDocument,
  PDFHexString,
  PDFName,
  beginText,
  degrees,
  endText,
  fill,
  grayscale,
  lineTo,
  moveTo,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setFillingGrayscaleColor,
  setFontAndSize,
  setLineWidth,
  setStrokingGrayscaleColor,
  setTextMatrix,
  showText,
  stroke,
  type PDFFont,
  type PDFImage,
  type PDFOperator,
  type PDFPage,
  type PDFRef,
} from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import type { DocumentMetadata, EmbeddableKind } from './document';
import { A4, MARGIN, SIZE, type LaidOutPage, type Op } from './flow';
import type { FontSet, Weight } from './fonts';

export interface OutlineEntry {
  title: string;
  pageIndex: number;
  /** Distance from the page's top, in points. */
  y: number;
  children?: OutlineEntry[];
}

/** Where a stamp sits on a page of any size and rotation: centred on the edge the reader sees at the bottom. */
function bottomCentre(page: PDFPage, textWidth: number, inset: number) {
  const box = page.getCropBox();
  const rotation = ((page.getRotation().angle % 360) + 360) % 360;
  const midX = box.x + box.width / 2;
  const midY = box.y + box.height / 2;
  switch (rotation) {
    case 90:
      return { x: box.x + box.width - inset, y: midY - textWidth / 2, rotate: 90 };
    case 180:
      return { x: midX + textWidth / 2, y: box.y + box.height - inset, rotate: 180 };
    case 270:
      return { x: box.x + inset, y: midY + textWidth / 2, rotate: 270 };
    default:
      return { x: midX - textWidth / 2, y: box.y + inset, rotate: 0 };
  }
}

/** Groups items by a key, keeping the order in which keys first appear. */
function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

/** PDF space runs upwards from the page's foot; laid-out pages run downwards from its top. */
const upwards = (height: number) => (y: number) => height - y;

type RectOp = Extract<Op, { op: 'rect' }>;
type LineOp = Extract<Op, { op: 'line' }>;

/** Every filled rectangle of a page, one path per shade of grey. */
function fills(ops: Op[], pdfY: (y: number) => number): PDFOperator[] {
  const filled = ops.filter((op): op is RectOp => op.op === 'rect' && op.fill !== undefined);
  return groupBy(filled, (r) => String(r.fill)).flatMap((group) => [
    setFillingGrayscaleColor(group[0]!.fill!),
    ...group.map((r) => rectangle(r.x, pdfY(r.y + r.h), r.w, r.h)),
    fill(),
  ]);
}

/** Every rule and frame of a page, one path per line width and grey; drawn over the fills. */
function strokes(ops: Op[], pdfY: (y: number) => number): PDFOperator[] {
  const stroked = ops.filter((op): op is RectOp | LineOp => op.op === 'line' || (op.op === 'rect' && op.stroke !== undefined));
  const widthOf = (op: RectOp | LineOp) => (op.op === 'line' ? op.width : (op.width ?? 0.6));
  const grayOf = (op: RectOp | LineOp) => (op.op === 'line' ? (op.gray ?? 0) : op.stroke!);
  return groupBy(stroked, (op) => `${widthOf(op)}/${grayOf(op)}`).flatMap((group) => [
    setLineWidth(widthOf(group[0]!)),
    setStrokingGrayscaleColor(grayOf(group[0]!)),
    ...group.flatMap((op) => (op.op === 'line' ? [moveTo(op.x1, pdfY(op.y1)), lineTo(op.x2, pdfY(op.y2))] : [rectangle(op.x, pdfY(op.y + op.h), op.w, op.h)])),
    stroke(),
  ]);
}

/** Why an accepted file is listed in a bundle but could not be embedded. */
export class NotEmbeddable extends Error {}

/** Draws laid-out pages, appended pages and the document's outline and metadata with pdf-lib. */
export class PdfWriter {
  private fonts?: Record<Weight, PDFFont>;
  private glyphIds?: Record<Weight, Map<string, number>>;

  private constructor(readonly doc: PDFDocument) {}

  static async start(): Promise<PdfWriter> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.registerFontkit(fontkit);
    return new PdfWriter(doc);
  }

  /**
   * Embeds, whole, the HarfBuzz subsets of exactly the characters each weight draws, and notes each
   * character's glyph: with no layout tables left in the subset, a character is its glyph.
   */
  async useFonts(fontSet: FontSet, characters: Record<Weight, string>): Promise<void> {
    const glyphIds = { regular: new Map<string, number>(), bold: new Map<string, number>() };
    const embed = async (weight: Weight, name: string) => {
      const bytes = fontSet.subset(weight, characters[weight] || ' ');
      const subset = fontkit.create(bytes);
      for (const char of characters[weight]) glyphIds[weight].set(char, subset.glyphForCodePoint(char.codePointAt(0)!).id);
      return this.doc.embedFont(bytes, { subset: false, customName: name });
    };
    // One after the other: the order fixes the object numbers, and so the bytes.
    const regular = await embed('regular', 'NotoSerifSC-Regular');
    const bold = await embed('bold', 'NotoSerifSC-Bold');
    this.fonts = { regular, bold };
    this.glyphIds = glyphIds;
  }

  /** The text as glyph ids, as the embedded fonts (Identity-H) take them. */
  private encode(text: string, weight: Weight): PDFHexString {
    const ids = this.glyphIds?.[weight];
    if (!ids) throw new Error('fonts are embedded after layout and before drawing');
    let hex = '';
    for (const char of text) hex += (ids.get(char) ?? 0).toString(16).padStart(4, '0');
    return PDFHexString.of(hex);
  }

  private font(weight: Weight): PDFFont {
    if (!this.fonts) throw new Error('fonts are embedded after layout and before drawing');
    return this.fonts[weight];
  }

  /** The pages of another PDF, copied in but not yet placed. */
  async importPdf(bytes: Uint8Array): Promise<PDFPage[]> {
    let source: PDFDocument;
    try {
      source = await PDFDocument.load(bytes, { updateMetadata: false });
    } catch (error) {
      throw new NotEmbeddable(error instanceof EncryptedPDFError ? '文件已加密，未能附入' : '文件无法解析，未能附入');
    }
    if (source.getPageCount() === 0) throw new NotEmbeddable('文件没有页面，未能附入');
    return this.doc.copyPages(source, source.getPageIndices());
  }

  async importImage(kind: Exclude<EmbeddableKind, 'pdf'>, bytes: Uint8Array): Promise<PDFImage> {
    try {
      return kind === 'png' ? await this.doc.embedPng(bytes) : await this.doc.embedJpg(bytes);
    } catch {
      throw new NotEmbeddable('图片无法解析，未能附入');
    }
  }

  drawLaidOut(laid: LaidOutPage): void {
    const page = this.doc.addPage([laid.size.width, laid.size.height]);
    const keys = { regular: this.fontKey(page, 'regular'), bold: this.fontKey(page, 'bold') };
    const pdfY = upwards(laid.size.height);
    page.pushOperators(pushGraphicsState(), ...fills(laid.ops, pdfY), ...strokes(laid.ops, pdfY), ...this.texts(laid.ops, keys, pdfY), popGraphicsState());
  }

  private fontKey(page: PDFPage, weight: Weight): PDFName {
    const font = this.font(weight);
    return page.node.newFontDictionary(font.name, font.ref);
  }

  /** All text of a page in one text object, the font, size and colour set only when they change. */
  private texts(ops: Op[], keys: Record<Weight, PDFName>, pdfY: (y: number) => number): PDFOperator[] {
    const out: PDFOperator[] = [beginText()];
    let font = '';
    let gray = -1;
    for (const op of ops) {
      if (op.op !== 'text') continue;
      if (font !== `${op.weight}@${op.size}`) {
        font = `${op.weight}@${op.size}`;
        out.push(setFontAndSize(keys[op.weight], op.size));
      }
      if (gray !== (op.gray ?? 0)) {
        gray = op.gray ?? 0;
        out.push(setFillingGrayscaleColor(gray));
      }
      out.push(setTextMatrix(1, 0, 0, 1, op.x, pdfY(op.y)), showText(this.encode(op.text, op.weight)));
    }
    out.push(endText());
    return out;
  }

  /** Places a page copied from another document, with the bundle's page number on it. */
  addImported(page: PDFPage, footer: string): void {
    this.doc.addPage(page);
    this.stamp(page, footer);
  }

  /** A scan on a page of its own, A4 in the scan's orientation, fitted within the margins. */
  addImage(image: PDFImage, footer: string): void {
    const landscape = image.width > image.height;
    const [width, height] = landscape ? [A4.height, A4.width] : [A4.width, A4.height];
    const page = this.doc.addPage([width, height]);
    const scale = Math.min((width - 2 * MARGIN) / image.width, (height - 2 * MARGIN) / image.height);
    const w = image.width * scale;
    const h = image.height * scale;
    page.drawImage(image, { x: (width - w) / 2, y: (height - h) / 2, width: w, height: h });
    this.stamp(page, footer);
  }

  /** A page number on a page of any size and rotation. */
  private stamp(page: PDFPage, text: string): void {
    const size = SIZE.xiaoWu;
    const font = this.font('regular');
    const place = bottomCentre(page, font.widthOfTextAtSize(text, size), 20);
    page.drawText(text, { x: place.x, y: place.y, size, font, color: grayscale(0.2), rotate: degrees(place.rotate) });
  }

  outline(entries: OutlineEntry[]): void {
    if (entries.length === 0) return;
    const { context, catalog } = this.doc;
    const pages = this.doc.getPages();
    const rootRef = context.nextRef();
    const visible = (items: OutlineEntry[]): number => items.reduce((n, i) => n + 1 + visible(i.children ?? []), 0);
    const write = (items: OutlineEntry[], parent: PDFRef): PDFRef[] => {
      const refs = items.map(() => context.nextRef());
      items.forEach((item, i) => {
        const dict = context.obj({
          Title: PDFHexString.fromText(item.title),
          Parent: parent,
          Dest: [pages[item.pageIndex]!.ref, 'XYZ', null, pages[item.pageIndex]!.getHeight() - item.y, null],
        });
        if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1]!);
        if (i < refs.length - 1) dict.set(PDFName.of('Next'), refs[i + 1]!);
        const children = item.children ?? [];
        if (children.length > 0) {
          const childRefs = write(children, refs[i]!);
          dict.set(PDFName.of('First'), childRefs[0]!);
          dict.set(PDFName.of('Last'), childRefs.at(-1)!);
          dict.set(PDFName.of('Count'), context.obj(visible(children)));
        }
        context.assign(refs[i]!, dict);
      });
      return refs;
    };
    const top = write(entries, rootRef);
    context.assign(rootRef, context.obj({ Type: 'Outlines', First: top[0]!, Last: top.at(-1)!, Count: visible(entries) }));
    catalog.set(PDFName.of('Outlines'), rootRef);
    catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  }

  /** Metadata and file identifier, all fixed by the project version, so the same version gives the same bytes. */
  async save(meta: DocumentMetadata): Promise<Uint8Array> {
    const date = new Date(meta.date);
    this.doc.setTitle(meta.title, { showInWindowTitleBar: true });
    this.doc.setAuthor(meta.author);
    this.doc.setSubject(meta.subject);
    this.doc.setKeywords(meta.keywords);
    this.doc.setCreator('发改局项目资金申报管理系统');
    this.doc.setProducer('pdf-lib');
    this.doc.setLanguage('zh-CN');
    this.doc.setCreationDate(date);
    this.doc.setModificationDate(date);
    const id = PDFHexString.of(meta.fileId);
    this.doc.context.trailerInfo.ID = this.doc.context.obj([id, id]);
    return this.doc.save();
  }
}
