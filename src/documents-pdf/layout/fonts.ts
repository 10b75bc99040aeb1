import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit, { type Font } from '@pdf-lib/fontkit';
import { SubsettableFace } from './harfbuzz';

export type Weight = 'regular' | 'bold';

/**
 * Noto Serif SC (SIL Open Font License, embedding allowed) from the npm package the project installs:
 * a Song-style face, as Chinese official forms use, in two weights.
 */
const fontFiles: Record<Weight, string> = {
  regular: '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
};

/** Shown instead of a character the font lacks, so a reader sees that something is there. */
const REPLACEMENT = '□';

/** Tables the PDF never uses: layout happens here, one glyph per character, and text runs horizontally. */
const UNUSED_TABLES = ['GSUB', 'GPOS', 'GDEF', 'vhea', 'vmtx', 'VORG', 'DSIG'];

class Face {
  readonly font: Font;
  readonly subsettable: SubsettableFace;
  private readonly advances = new Map<number, number>();

  constructor(bytes: Buffer) {
    this.font = fontkit.create(bytes);
    this.subsettable = new SubsettableFace(bytes);
  }

  /** Advance of one code point in em units (1 = the font size). */
  advance(codePoint: number): number {
    let width = this.advances.get(codePoint);
    if (width === undefined) {
      width = this.font.glyphForCodePoint(codePoint).advanceWidth / this.font.unitsPerEm;
      this.advances.set(codePoint, width);
    }
    return width;
  }

  has(codePoint: number): boolean {
    return this.font.hasGlyphForCodePoint(codePoint);
  }
}

/**
 * The full fonts, read and parsed once per thread: text is measured against them while laying out, and only
 * the characters a document ends up using are cut out of them (HarfBuzz) and embedded.
 */
export class FontSet {
  private readonly faces: Record<Weight, Face>;

  constructor() {
    const require = createRequire(import.meta.url);
    this.faces = {
      regular: new Face(readFileSync(require.resolve(fontFiles.regular))),
      bold: new Face(readFileSync(require.resolve(fontFiles.bold))),
    };
  }

  width(text: string, size: number, weight: Weight = 'regular'): number {
    const face = this.faces[weight];
    let em = 0;
    for (const char of text) em += face.advance(char.codePointAt(0)!);
    return em * size;
  }

  /** The text without control characters but line breaks, each character the font lacks shown as □. */
  printable(text: string): string {
    const face = this.faces.regular;
    let out = '';
    for (const char of text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
      const codePoint = char.codePointAt(0)!;
      if (char === '\n') out += char;
      if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) continue;
      out += face.has(codePoint) ? char : REPLACEMENT;
    }
    return out;
  }

  /** A TrueType font holding exactly the glyphs of `characters`, to embed whole. */
  subset(weight: Weight, characters: string): Uint8Array {
    return this.faces[weight].subsettable.subset(characters, UNUSED_TABLES);
  }
}
