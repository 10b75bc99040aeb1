import QRCode from 'qrcode';
import type { CoverSpec, LabelledValue } from './document';
import { MARGIN, SIZE, type Flow, type TextStyle } from './flow';

const TITLE: TextStyle = { size: 26, weight: 'bold' };
const FIELD: TextStyle = { size: SIZE.sanHao };
const FIELD_LEADING = 34;
const QR_SIZE = 78;

/** The QR code as filled rectangles, one per horizontal run of dark modules: vector, sharp at any scale. */
function drawQr(flow: Flow, text: string, x: number, y: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 2;
  const unit = QR_SIZE / (modules.size + 2 * quiet);
  for (let row = 0; row < modules.size; row++) {
    let start = -1;
    for (let col = 0; col <= modules.size; col++) {
      const dark = col < modules.size && modules.get(row, col);
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        flow.push({ op: 'rect', x: x + (quiet + start) * unit, y: y + (quiet + row) * unit, w: (col - start) * unit, h: unit, fill: 0 });
        start = -1;
      }
    }
  }
}

const FIELDS_TOP = 330;
/** From the last field line to the date line, and the date line itself. */
const DATE_GAP = 28 + FIELD_LEADING;
/** Smaller sizes the particulars step down to when long names do not fit at 三号. */
const FIELD_SIZES = [SIZE.sanHao, SIZE.siHao, SIZE.xiaoSi];

interface FieldLayout {
  lines: { label: string; value: string[] }[];
  style: TextStyle;
  leading: number;
  labelX: number;
  labelWidth: number;
  valueX: number;
  valueWidth: number;
}

function layoutFields(flow: Flow, fields: LabelledValue[], size: number): FieldLayout {
  const style: TextStyle = { size };
  const labelX = MARGIN + 28;
  const labelWidth = Math.max(...fields.map((f) => flow.width(f.label, style)));
  const valueX = labelX + labelWidth + flow.width('：', style);
  const valueWidth = MARGIN + flow.contentWidth - 28 - valueX;
  const lines = fields.map((f) => ({ label: f.label, value: flow.wrapBalanced(f.value || ' ', valueWidth - 8, style) }));
  return { lines, style, leading: (FIELD_LEADING / SIZE.sanHao) * size, labelX, labelWidth, valueX, valueWidth };
}

const lineCount = (layout: FieldLayout) => layout.lines.reduce((n, l) => n + l.value.length, 0);

/**
 * The cover's particulars at the largest size at which they fit in `height`; failing that, at the smallest,
 * each value keeps its share of the lines and ends in an ellipsis (the tables that follow give it whole).
 */
function fitFields(flow: Flow, fields: LabelledValue[], height: number): FieldLayout {
  for (const size of FIELD_SIZES) {
    const layout = layoutFields(flow, fields, size);
    if (lineCount(layout) * layout.leading <= height) return layout;
  }
  const layout = layoutFields(flow, fields, FIELD_SIZES.at(-1)!);
  const share = Math.max(1, Math.floor(height / layout.leading / fields.length));
  const cut = (value: string[]) => [...value.slice(0, share - 1), flow.ellipsize(value.slice(share - 1).join(''), layout.valueWidth - 8, layout.style)];
  return { ...layout, lines: layout.lines.map((l) => (l.value.length <= share ? l : { ...l, value: cut(l.value) })) };
}

/**
 * The cover, as Chinese application forms have it: the title high on the page, the project's particulars
 * on ruled lines under spread labels, the date, and at the foot the code to check a printed copy with.
 */
export function layoutCover(flow: Flow, cover: CoverSpec): void {
  flow.newPage();
  flow.mark('封面', 1);
  flow.y = 180;
  for (const line of flow.wrapBalanced(cover.title, flow.contentWidth, TITLE)) {
    flow.textLine(line, MARGIN, flow.y, flow.contentWidth, 44, TITLE, 'center');
    flow.y += 44;
  }
  if (cover.subtitle) flow.textLine(cover.subtitle, MARGIN, flow.y + 6, flow.contentWidth, 30, FIELD, 'center');

  const qrTop = flow.pageSize.height - MARGIN - QR_SIZE - 6;
  const fields = fitFields(flow, cover.fields, qrTop - 24 - DATE_GAP - FIELDS_TOP);
  flow.y = FIELDS_TOP;
  for (const field of fields.lines) {
    flow.spreadLine(field.label, fields.labelX, flow.y, fields.labelWidth, fields.leading, fields.style);
    flow.textLine('：', fields.labelX + fields.labelWidth, flow.y, fields.valueX - fields.labelX - fields.labelWidth, fields.leading, fields.style);
    for (const line of field.value) {
      flow.textLine(line, fields.valueX, flow.y, fields.valueWidth, fields.leading, fields.style, 'center');
      const underline = flow.y + fields.leading - 5;
      flow.push({ op: 'line', x1: fields.valueX, y1: underline, x2: fields.valueX + fields.valueWidth, y2: underline, width: 0.6 });
      flow.y += fields.leading;
    }
  }
  flow.y += DATE_GAP - FIELD_LEADING;
  flow.textLine(cover.dateLine, MARGIN, flow.y, flow.contentWidth, FIELD_LEADING, FIELD, 'center');

  const qrX = MARGIN + 40;
  drawQr(flow, cover.verification.url, qrX, qrTop);
  const noteX = qrX + QR_SIZE + 10;
  const noteWidth = MARGIN + flow.contentWidth - noteX;
  const codeStyle: TextStyle = { size: SIZE.xiaoSi, weight: 'bold' };
  const noteStyle: TextStyle = { size: SIZE.xiaoWu, gray: 0.25 };
  const lines: [string, TextStyle][] = [
    [`核验码：${cover.verification.code}`, codeStyle],
    ...cover.verification.lines.flatMap((l) => flow.wrap(l, noteWidth, noteStyle).map((w): [string, TextStyle] => [w, noteStyle])),
  ];
  const leading = 17;
  let top = qrTop + (QR_SIZE - lines.length * leading) / 2;
  for (const [line, style] of lines) {
    flow.textLine(line, noteX, top, noteWidth, leading, style);
    top += leading;
  }
}
