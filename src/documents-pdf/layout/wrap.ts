/** Measures a run of text at the size and weight the caller has in mind. */
export type Measure = (text: string) => number;

/** Characters that may not begin a line (Chinese line-breaking rules, 避头点). */
const NO_LINE_START = new Set('，。、；：？！）》」』】〕〉”’…—％%,.;:?!)]}·');
/** Characters that may not end a line (避尾点). */
const NO_LINE_END = new Set('（《「『【〔〈“‘([{');

/**
 * The units a line may break between: each CJK character alone, a Latin word or number whole (with the
 * space after it), so that codes, hashes and amounts stay in one piece where they fit.
 */
function tokens(text: string): string[] {
  return text.match(/[A-Za-z0-9.,_\-/@:+#&=%]+ *| +|[^]/gu) ?? [];
}

/** Splits a token longer than the line into pieces that fit. */
function splitLong(token: string, width: number, measure: Measure): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const char of token) {
    if (piece && measure(piece + char) > width) {
      pieces.push(piece);
      piece = '';
    }
    piece += char;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

const lastChar = (text: string) => [...text].at(-1) ?? '';

/**
 * Breaks `text` into lines no wider than `width`, keeping closing punctuation off the start of a line and
 * opening brackets off its end. Explicit line breaks ("\n") are kept.
 */
export function wrapText(text: string, width: number, measure: Measure): string[] {
  return text.split('\n').flatMap((paragraph) => wrapParagraph(paragraph, width, measure));
}

function wrapParagraph(text: string, width: number, measure: Measure): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  const flush = () => {
    lines.push(line.join('').trimEnd());
    line = [];
  };
  const pending = tokens(text).flatMap((t) => (measure(t.trimEnd()) > width ? splitLong(t, width, measure) : [t]));
  for (const token of pending) {
    if (line.length > 0 && measure((line.join('') + token).trimEnd()) > width) {
      // Carry the last character over with a closing mark, or an opening bracket with what it opens.
      const previous = line.at(-1)!;
      const carry =
        line.length > 1 &&
        (NO_LINE_START.has([...token][0] ?? '') || NO_LINE_END.has(lastChar(previous))) &&
        measure((previous + token).trimEnd()) <= width;
      const carried = carry ? line.pop() : undefined;
      flush();
      if (carried !== undefined) line.push(carried);
      if (token.trim() === '') continue;
    }
    line.push(token);
  }
  if (line.length > 0 || lines.length === 0) flush();
  return lines;
}
