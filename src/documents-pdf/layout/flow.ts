import type { Align, Orientation } from './document';
import type { FontSet, Weight } from './fonts';
import { wrapText } from './wrap';

export interface PageSize {
  readonly width: number;
  readonly height: number;
}

/** A4 upright, in points. */
export const A4: PageSize = { width: 595.28, height: 841.89 };
/** 25 mm on every side, whichever way the page is turned. */
export const MARGIN = 70.87;

const pageSizes: Record<Orientation, PageSize> = { portrait: A4, landscape: { width: A4.height, height: A4.width } };

/** Chinese type sizes (字号) in points. */
export const SIZE = { erHao: 22, xiaoEr: 18, sanHao: 16, siHao: 14, xiaoSi: 12, wuHao: 10.5, xiaoWu: 9 } as const;

/** Height of the ideographic em box above the baseline, as a share of the size (Noto CJK: 880/1000). */
const EM_TOP = 0.88;

/**
 * What a laid-out page holds. Coordinates run from the page's top-left corner downwards, in points;
 * the renderer turns them into PDF space.
 */
export type Op =
  | { op: 'text'; x: number; y: number; size: number; weight: Weight; text: string; gray?: number }
  | { op: 'line'; x1: number; y1: number; x2: number; y2: number; width: number; gray?: number }
  | { op: 'rect'; x: number; y: number; w: number; h: number; fill?: number; stroke?: number; width?: number };

export interface Bookmark {
  title: string;
  level: 1 | 2;
  y: number;
}

export interface LaidOutPage {
  size: PageSize;
  ops: Op[];
  bookmarks: Bookmark[];
}

export interface TextStyle {
  size: number;
  weight?: Weight;
  gray?: number;
}

/**
 * Places content top to bottom on A4 pages, starting a new page when the next piece does not fit.
 * Text is measured with the full fonts, so lines break exactly where the embedded subset will draw them.
 * Pages are upright unless a page break turns them: the pages that follow keep the turn.
 */
export class Flow {
  readonly pages: LaidOutPage[] = [];
  /** The cursor: the top of the next thing placed, on the current page. */
  y: number = MARGIN;
  orientation: Orientation = 'portrait';

  constructor(readonly fonts: FontSet) {}

  get page(): LaidOutPage {
    const page = this.pages.at(-1);
    if (!page) throw new Error('no page started');
    return page;
  }

  get pageSize(): PageSize {
    return pageSizes[this.orientation];
  }

  /** The width between the margins of the current page. */
  get contentWidth(): number {
    return this.pageSize.width - 2 * MARGIN;
  }

  /** Room left on the current page, in points. */
  get room(): number {
    return this.pages.length === 0 ? 0 : this.pageSize.height - MARGIN - this.y;
  }

  /** Room on an empty page. */
  get fullRoom(): number {
    return this.pageSize.height - 2 * MARGIN;
  }

  newPage(orientation = this.orientation): void {
    this.orientation = orientation;
    this.pages.push({ size: this.pageSize, ops: [], bookmarks: [] });
    this.y = MARGIN;
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (height > this.room) this.newPage();
  }

  push(op: Op): void {
    this.page.ops.push(op);
  }

  mark(title: string, level: 1 | 2): void {
    this.page.bookmarks.push({ title, level, y: this.y });
  }

  width(text: string, style: TextStyle): number {
    return this.fonts.width(text, style.size, style.weight);
  }

  wrap(text: string, width: number, style: TextStyle): string[] {
    return wrapText(this.fonts.printable(text), width, (t) => this.width(t, style));
  }

  /**
   * Lines of even length rather than full lines and a stub: the narrowest width (found by bisection) that
   * still needs no more lines than `width` does. For centred text such as titles.
   */
  wrapBalanced(text: string, width: number, style: TextStyle): string[] {
    const count = this.wrap(text, width, style).length;
    if (count < 2) return this.wrap(text, width, style);
    let [low, high] = [width / count, width];
    for (let step = 0; step < 8; step++) {
      const middle = (low + high) / 2;
      if (this.wrap(text, middle, style).length <= count) high = middle;
      else low = middle;
    }
    return this.wrap(text, high, style);
  }

  /** The text on one line, cut short with an ellipsis where it is wider than `width`. */
  ellipsize(text: string, width: number, style: TextStyle): string {
    const printable = this.fonts.printable(text).replace(/\n/g, ' ');
    if (this.width(printable, style) <= width) return printable;
    const chars = [...printable];
    while (chars.length > 0 && this.width(chars.join('') + '…', style) > width) chars.pop();
    return chars.join('') + '…';
  }

  /** One line of text inside the band [x, x + width], its em box centred in a line of height `leading`. */
  textLine(text: string, x: number, top: number, width: number, leading: number, style: TextStyle, align: Align = 'left'): void {
    if (!text) return;
    const used = this.width(text, style);
    const left = align === 'center' ? x + (width - used) / 2 : align === 'right' ? x + width - used : x;
    const baseline = top + (leading - style.size) / 2 + EM_TOP * style.size;
    this.push({ op: 'text', x: left, y: baseline, size: style.size, weight: style.weight ?? 'regular', text, gray: style.gray });
  }

  /** Spreads the characters of a short label evenly over `width` (分散对齐), as form labels are set. */
  spreadLine(text: string, x: number, top: number, width: number, leading: number, style: TextStyle): void {
    const chars = [...text];
    if (chars.length < 2) return this.textLine(text, x, top, width, leading, style);
    const gap = (width - this.width(text, style)) / (chars.length - 1);
    let left = x;
    for (const char of chars) {
      this.textLine(char, left, top, width, leading, style);
      left += this.width(char, style) + gap;
    }
  }

  /** Wrapped text at the cursor, moving on to new pages as needed. */
  paragraph(text: string, style: TextStyle, options: { leading: number; indent?: boolean; align?: Align }): void {
    // The indent is two ideographic spaces, so that wrapping accounts for it.
    const lines = this.wrap((options.indent ? '\u3000\u3000' : '') + text, this.contentWidth, style);
    for (const line of lines) {
      this.ensure(options.leading);
      this.textLine(line, MARGIN, this.y, this.contentWidth, options.leading, style, options.align);
      this.y += options.leading;
    }
  }
}
