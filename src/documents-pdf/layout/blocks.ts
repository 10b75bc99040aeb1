import type { Block, HeadingBlock, SignaturesBlock, TitleBlock } from './document';
import { Flow, MARGIN, SIZE, type TextStyle } from './flow';
import { layoutTable } from './table';

const BODY: TextStyle = { size: SIZE.xiaoSi };
const BODY_LEADING = SIZE.xiaoSi * 1.75;
/** Space a heading keeps below it on its page, so it never stands alone at a page foot. */
const KEEP_WITH_HEADING = 72;

const headingStyles = {
  1: { style: { size: SIZE.siHao, weight: 'bold' }, leading: 26, before: 12 },
  2: { style: { size: SIZE.xiaoSi, weight: 'bold' }, leading: 22, before: 4 },
} as const;

function layoutHeading(flow: Flow, block: HeadingBlock): void {
  const { style, leading, before } = headingStyles[block.level];
  flow.ensure(before + leading + KEEP_WITH_HEADING);
  if (flow.room < flow.fullRoom) flow.y += before;
  flow.mark(block.text, block.level);
  flow.paragraph(block.text, style, { leading });
}

const SIGN_BOX_HEIGHT = 124;
const SIGN_LABEL_WIDTH = 92;
/** Room for four characters a line: 项目单位 / （盖章）. */
const SIGN_LABEL_TEXT = 50;
const SIGN_LINE = 96;

/** Boxes to write an opinion in, sign and seal, kept together on one page. */
function layoutSignatures(flow: Flow, block: SignaturesBlock): void {
  flow.ensure(SIGN_BOX_HEIGHT * block.boxes.length);
  const labelStyle: TextStyle = { size: SIZE.xiaoSi, weight: 'bold' };
  const contentX = MARGIN + SIGN_LABEL_WIDTH;
  const contentWidth = flow.contentWidth - SIGN_LABEL_WIDTH;
  for (const box of block.boxes) {
    const top = flow.y;
    flow.push({ op: 'rect', x: MARGIN, y: top, w: SIGN_LABEL_WIDTH, h: SIGN_BOX_HEIGHT, fill: 0.93, stroke: 0, width: 0.6 });
    flow.push({ op: 'rect', x: contentX, y: top, w: contentWidth, h: SIGN_BOX_HEIGHT, stroke: 0, width: 0.6 });
    const labelLines = flow.wrap(box.title, SIGN_LABEL_TEXT, labelStyle);
    const labelTop = top + (SIGN_BOX_HEIGHT - labelLines.length * BODY_LEADING) / 2;
    labelLines.forEach((line, i) => flow.textLine(line, MARGIN, labelTop + i * BODY_LEADING, SIGN_LABEL_WIDTH, BODY_LEADING, labelStyle, 'center'));

    const right = contentX + contentWidth - 16;
    box.signLines.forEach((line, i) => {
      const lineTop = top + SIGN_BOX_HEIGHT - 8 - (box.signLines.length - i) * BODY_LEADING;
      const blank = line.endsWith('：') ? SIGN_LINE : 0;
      const width = flow.width(line, BODY) + blank;
      flow.textLine(line, right - width, lineTop, width, BODY_LEADING, BODY);
      if (blank) {
        const underline = lineTop + BODY_LEADING - 4;
        flow.push({ op: 'line', x1: right - blank, y1: underline, x2: right, y2: underline, width: 0.5 });
      }
    });
    flow.y += SIGN_BOX_HEIGHT;
  }
}

/** Lays the blocks out once on a spare page to learn their height, then for real where they fit whole. */
function layoutKeepTogether(flow: Flow, blocks: Block[]): void {
  const trial = new Flow(flow.fonts);
  trial.newPage(flow.orientation);
  const top = trial.y;
  for (const block of blocks) layoutBlock(trial, block);
  // Headings add their space above only below other content: allow for it.
  if (trial.pages.length === 1) flow.ensure(trial.y - top + headingStyles[1].before);
  for (const block of blocks) layoutBlock(flow, block);
}

const TITLE: TextStyle = { size: SIZE.erHao, weight: 'bold' };
const SUBTITLE: TextStyle = { size: SIZE.siHao };

/** The title centred at the head of the page, as official documents (公文) set it, with its subtitle lines under it. */
function layoutTitle(flow: Flow, block: TitleBlock): void {
  flow.mark(block.text, 1);
  for (const line of flow.wrapBalanced(block.text, flow.contentWidth, TITLE)) {
    flow.textLine(line, MARGIN, flow.y, flow.contentWidth, TITLE.size * 1.6, TITLE, 'center');
    flow.y += TITLE.size * 1.6;
  }
  flow.y += 6;
  for (const line of block.subtitle ?? []) flow.paragraph(line, SUBTITLE, { leading: SUBTITLE.size * 1.75, align: 'center' });
  flow.y += 12;
}

export function layoutBlock(flow: Flow, block: Block): void {
  switch (block.type) {
    case 'heading':
      return layoutHeading(flow, block);
    case 'paragraph':
      return flow.paragraph(block.text, { size: block.size ?? BODY.size, weight: block.bold ? 'bold' : 'regular' }, { leading: (block.size ?? BODY.size) * 1.75, indent: block.indent, align: block.align });
    case 'table':
      layoutTable(flow, block);
      flow.y += 6;
      return;
    case 'signatures':
      return layoutSignatures(flow, block);
    case 'keepTogether':
      return layoutKeepTogether(flow, block.blocks);
    case 'title':
      return layoutTitle(flow, block);
    case 'pageBreak':
      return flow.newPage(block.orientation);
  }
}
