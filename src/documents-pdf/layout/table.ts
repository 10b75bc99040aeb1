import type { Align, Cell, CellInput, TableBlock } from './document';
import { MARGIN, SIZE, type Flow, type TextStyle } from './flow';

const PAD_X = 4;
const PAD_Y = 3.5;
const LINE_FACTOR = 1.4;
const BORDER = 0.6;
const SHADE = 0.93;
/** Fewer lines than this of a row are not left alone at the foot of a page. */
const MIN_LINES_BEFORE_BREAK = 2;

interface PlacedCell {
  x: number;
  width: number;
  lines: string[];
  align: Align;
  style: TextStyle;
  shade: boolean;
}

interface PlacedRow {
  cells: PlacedCell[];
  lineCount: number;
}

const asCell = (input: CellInput): Cell => (typeof input === 'string' ? { text: input } : input);

function placeRow(flow: Flow, table: TableBlock, inputs: CellInput[], header: boolean): PlacedRow {
  const size = table.fontSize ?? SIZE.wuHao;
  const total = table.columns.reduce((sum, c) => sum + c.width, 0);
  const edges = [0];
  for (const column of table.columns) edges.push(edges.at(-1)! + (column.width / total) * flow.contentWidth);
  let column = 0;
  const cells = inputs.map(asCell).map((cell) => {
    const span = Math.max(1, Math.min(cell.span ?? 1, table.columns.length - column));
    const x = MARGIN + edges[column]!;
    const width = edges[column + span]! - edges[column]!;
    const style: TextStyle = { size, weight: header || cell.bold ? 'bold' : 'regular' };
    const align = cell.align ?? (header ? 'center' : (table.columns[column]?.align ?? 'left'));
    column += span;
    return { x, width, lines: flow.wrap(cell.text, width - 2 * PAD_X, style), align, style, shade: header || Boolean(cell.shade) };
  });
  return { cells, lineCount: Math.max(1, ...cells.map((c) => c.lines.length)) };
}

/** Draws lines [from, to) of a row at the cursor; a row drawn whole has its text centred vertically. */
function drawRowPart(flow: Flow, row: PlacedRow, from: number, to: number, leading: number): void {
  const height = (to - from) * leading + 2 * PAD_Y;
  const whole = from === 0 && to === row.lineCount;
  for (const cell of row.cells) {
    flow.push({ op: 'rect', x: cell.x, y: flow.y, w: cell.width, h: height, fill: cell.shade ? SHADE : undefined, stroke: 0, width: BORDER });
    const lines = cell.lines.slice(from, to);
    const offset = whole ? ((row.lineCount - lines.length) * leading) / 2 : 0;
    lines.forEach((line, i) => {
      flow.textLine(line, cell.x + PAD_X, flow.y + PAD_Y + offset + i * leading, cell.width - 2 * PAD_X, leading, cell.style, cell.align);
    });
  }
  flow.y += height;
}

interface TableGeometry {
  leading: number;
  headerHeight: number;
  /** Starts a new page with the header row on it. */
  startPage: () => void;
}

const heightOf = (lines: number, leading: number) => lines * leading + 2 * PAD_Y;

/**
 * Places one row: whole where it fits, else whole on the next page when a page can hold it, else split
 * between lines across pages.
 */
function placeAcrossPages(flow: Flow, row: PlacedRow, table: TableGeometry): void {
  let from = 0;
  let freshPage = false;
  while (from < row.lineCount) {
    const left = row.lineCount - from;
    const fitting = Math.floor((flow.room - 2 * PAD_Y + 0.01) / table.leading);
    if (fitting >= left) {
      drawRowPart(flow, row, from, row.lineCount, table.leading);
      return;
    }
    const moveWhole = table.headerHeight + heightOf(left, table.leading) <= flow.fullRoom || fitting < MIN_LINES_BEFORE_BREAK;
    if (freshPage || !moveWhole) {
      const part = Math.max(1, fitting);
      drawRowPart(flow, row, from, from + part, table.leading);
      from += part;
    }
    table.startPage();
    freshPage = true;
  }
}

/**
 * A ruled table whose cells wrap their text. Rows move to the next page whole when they fit on one;
 * a row taller than what is left is split between lines. The header row is repeated on every page.
 */
export function layoutTable(flow: Flow, table: TableBlock): void {
  const leading = (table.fontSize ?? SIZE.wuHao) * LINE_FACTOR;
  const header = table.header && placeRow(flow, table, table.header, true);
  const rows = table.rows.map((r) => placeRow(flow, table, r, false));
  const headerHeight = header ? heightOf(header.lineCount, leading) : 0;
  const unitHeight = table.unit ? SIZE.xiaoWu * 1.8 : 0;

  const firstHeight = rows[0] ? heightOf(Math.min(rows[0].lineCount, MIN_LINES_BEFORE_BREAK), leading) : 0;
  flow.ensure(unitHeight + headerHeight + firstHeight);
  if (table.unit) {
    flow.textLine(table.unit, MARGIN, flow.y, flow.contentWidth, unitHeight, { size: SIZE.xiaoWu }, 'right');
    flow.y += unitHeight;
  }
  const drawHeader = () => {
    if (header) drawRowPart(flow, header, 0, header.lineCount, leading);
  };
  const startPage = () => {
    flow.newPage();
    drawHeader();
  };
  const geometry: TableGeometry = { leading, headerHeight, startPage };
  drawHeader();
  rows.forEach((row, index) => {
    // The last row (often a total) never stands alone on a page: the one before it goes along.
    const last = index > 0 && index === rows.length - 2 ? rows[index + 1]! : undefined;
    const withLast = last ? heightOf(row.lineCount, leading) + heightOf(last.lineCount, leading) : 0;
    if (last && withLast > flow.room && headerHeight + withLast <= flow.fullRoom) geometry.startPage();
    placeAcrossPages(flow, row, geometry);
  });
}
