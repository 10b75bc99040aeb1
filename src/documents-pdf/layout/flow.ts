import type { Align } from './document';
import type { FontSet, Weight } from './fonts';
import { wrapText } from './wrap';

/** A4 in points, with 25 mm margins. */
export const PAGE = { width: 595.28, height: 841.89, margin: 70.87 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const TOP = PAGE.margin;
const BOTTOM = PAGE.height - PAGE.margin;

/** Chinese type sizes (字号) in points. */
export const SIZE = { xiaoEr: 18, sanHao: 16, siHao: 14, xiaoSi: 12, wuHao: 10.5, xiaoWu: 9 } as const;

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
 */
export class Flow {
  readonly pages: LaidOutPage[] = [];
  /** The cursor: the top of the next thing placed, on the current page. */
  y: number = TOP;

  constructor(readonly fonts: FontSet) {}

  get page(): LaidOutPage {
    const page = this.pages.at(-1);
    if (!page) throw new Error('no page started');
    return page;
  }

  /** Room left on the current page, in points. */
  get room(): number {
    return this.pages.length === 0 ? 0 : BOTTOM - this.y;
  }

  /** Room on an empty page. */
  get fullRoom(): number {
    return BOTTOM - TOP;
  }

  newPage(): void {
    this.pages.push({ ops: [], bookmarks: [] });
    this.y = TOP;
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
    const lines = this.wrap((options.indent ? '\u3000\u3000' : '') + text, CONTENT_WIDTH, style);
    for (const line of lines) {
      this.ensure(options.leading);
      this.textLine(line, PAGE.margin, this.y, CONTENT_WIDTH, options.leading, style, options.align);
      this.y += options.leading;
    }
  }
}
