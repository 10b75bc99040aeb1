import { createHash } from 'node:crypto';
import { monthText, ratingLabels } from '../../workflows/rating';
import { keyLevelLabels, yearOfMonth, type KeyLevel } from '../../workflows/schedule';
import type { ScheduleTotals } from '../../workflows/schedule-figures';
import { percentText } from '../../workflows/units';
import { chineseDay, wan, wanParts } from '../documents-pdf/format';
import type { Block, Cell, CellInput, Column, DocumentSpec, TableBlock } from '../documents-pdf/layout/document';
import { SIZE } from '../documents-pdf/layout/flow';
import type { ScheduleStats } from './schedule-stats';
import { scheduleReportTitle } from './schedule-summary';

/**
 * The monthly scheduling bulletin (月度调度通报) as a document for the layout
 * engine of the application document: on an upright first page the title, the
 * paragraph and the figures by level; then, on landscape pages, the tables a
 * bureau attaches (附表): units with their 红黑旗 and 双过半, the red and yellow
 * projects, the projects that did not start as planned and the reports
 * missing. Every figure is one of scheduleStats'.
 */
const heading = (text: string, level: 1 | 2 = 1): Block => ({ type: 'heading', text, level });
const paragraph = (text: string): Block => ({ type: 'paragraph', text, indent: true });
const total = (text: string): Cell => ({ text, bold: true, shade: true, align: 'right' });
const totalLabel = (text: string): Cell => ({ text, bold: true, shade: true, align: 'center' });
const rate = (share: number | undefined) => (share === undefined ? '—' : percentText(share));
const NONE: Block = paragraph('无。');

const number = (width: number): Column => ({ width, align: 'right' });
const centred = (width: number): Column => ({ width, align: 'center' });

/** A table of `rows`, or 无 when there are none. */
function listed(table: Omit<TableBlock, 'type'>, shown: number, whole: number): Block[] {
  if (table.rows.length === 0) return [NONE];
  const cut = whole > shown ? [paragraph(`共${whole}个，此处列出${shown}个，其余请在系统中查阅。`)] : [];
  return [{ type: 'table', ...table }, ...cut];
}

/** The figures columns shared by the table of levels and that of units, amounts adding up to the printed total. */
function figureCells(rows: readonly ScheduleTotals[], totals: ScheduleTotals) {
  const planned = wanParts(rows.map((r) => r.plannedInvestment), totals.plannedInvestment);
  const completed = wanParts(rows.map((r) => r.completedInvestment), totals.completedInvestment);
  const line = (r: ScheduleTotals, i: number): CellInput[] => [
    String(r.projects),
    String(r.newStarts),
    String(r.plannedToStart),
    String(r.started),
    rate(r.startRate),
    planned[i]!,
    completed[i]!,
    rate(r.completionRate),
    String(r.behindPlan),
  ];
  const totalLine = [
    String(totals.projects),
    String(totals.newStarts),
    String(totals.plannedToStart),
    String(totals.started),
    rate(totals.startRate),
    wan(totals.plannedInvestment),
    wan(totals.completedInvestment),
    rate(totals.completionRate),
    String(totals.behindPlan),
  ].map(total);
  return { lines: rows.map(line), totalLine };
}

const FIGURE_HEADERS = ['项目数', '计划新开工', '应开工', '已开工', '开工率', '年度计划投资', '累计完成投资', '完成率', '低于序时进度'];
const figureColumns = (amountWidth: number): Column[] => [number(7), number(8), number(7), number(7), number(8), number(amountWidth), number(amountWidth), number(8), number(9)];

function levelTable(stats: ScheduleStats): Block[] {
  const rows = stats.levels.filter((l) => l.projects > 0);
  if (rows.length === 0) return [heading('二、分级别完成情况'), NONE];
  const { lines, totalLine } = figureCells(rows, stats);
  return [
    heading('二、分级别完成情况'),
    {
      type: 'table',
      fontSize: SIZE.xiaoWu,
      unit: '单位：个、万元',
      columns: [centred(14), ...figureColumns(15)],
      header: ['级别', ...FIGURE_HEADERS],
      rows: [...rows.map((l, i) => [l.label, ...lines[i]!]), [totalLabel('合计'), ...totalLine]],
    },
  ];
}

const flagLabels = { red: '红旗', black: '黑旗' } as const;

function unitTable(stats: ScheduleStats): Block[] {
  const title = heading(`附表1\u3000各单位完成情况${stats.halfYear ? '（含“双过半”）' : ''}`);
  if (stats.units.length === 0) return [title, NONE];
  const { lines, totalLine } = figureCells(stats.units, stats);
  const half = stats.halfYear;
  const halfParts = half ? wanParts(stats.units.map((u) => u.halfYear?.completedByHalfYear ?? 0), half.completedByHalfYear) : [];
  const halfCells = (u: ScheduleStats['units'][number], i: number): CellInput[] =>
    half ? [halfParts[i]!, u.halfYear ? (u.halfYear.passed ? '实现' : '未实现') : '—'] : [];
  return [
    title,
    {
      type: 'table',
      fontSize: SIZE.xiaoWu,
      unit: '单位：个、万元',
      columns: [centred(6), { width: 20 }, ...figureColumns(12), ...(half ? [number(12), centred(8)] : []), centred(6)],
      header: ['序号', '单位', ...FIGURE_HEADERS, ...(half ? ['1—6月完成投资', '双过半'] : []), '红黑旗'],
      rows: [
        ...stats.units.map((u, i) => [String(i + 1), u.name, ...lines[i]!, ...halfCells(u, i), u.flag ? flagLabels[u.flag] : '']),
        [totalLabel('合计'), total(''), ...totalLine, ...(half ? [total(wan(half.completedByHalfYear)), totalLabel(half.passed ? '实现' : '未实现')] : []), total('')],
      ],
    },
  ];
}

function ratingTable({ ratings }: ScheduleStats): Block[] {
  const { counts, unrated } = ratings;
  const listedRows = ratings.items.filter((p) => p.rating === 'red' || p.rating === 'yellow');
  const others = `绿色项目${counts.green}个，不再列出${unrated > 0 ? `；另有${unrated}个实施中项目尚未制定年度计划，未予评定` : ''}。`;
  return [
    heading(`附表2\u3000红色、黄色项目清单（红色${counts.red}个、黄色${counts.yellow}个）`),
    ...listed(
      {
        columns: [centred(5), { width: 26 }, { width: 15 }, centred(5), { width: 49 }],
        header: ['序号', '项目名称', '项目单位', '评定', '评定理由'],
        rows: listedRows.map((p, i) => [String(i + 1), p.name, p.orgName ?? '', p.ratingLabel ?? '', p.reason]),
      },
      listedRows.length,
      counts.red + counts.yellow,
    ),
    paragraph(others),
  ];
}

function notStartedTable({ notStarted }: ScheduleStats): Block[] {
  return [
    heading(`附表3\u3000未按计划开工项目（${notStarted.count}个）`),
    ...listed(
      {
        unit: '单位：万元',
        columns: [centred(5), { width: 26 }, { width: 17 }, centred(11), centred(12), number(12), number(12), centred(5)],
        header: ['序号', '项目名称', '项目单位', '重点项目', '计划开工', '年度计划投资', '累计完成投资', '评定'],
        rows: notStarted.items.map((p, i) => [
          String(i + 1),
          p.name,
          p.orgName ?? '',
          p.keyLevel ? keyLevelLabels[p.keyLevel] : '—',
          p.plannedStart ? chineseDay(p.plannedStart) : '—',
          wan(p.plannedInvestment ?? 0),
          wan(p.completedInvestment),
          p.rating ? ratingLabels[p.rating] : '—',
        ]),
      },
      notStarted.items.length,
      notStarted.count,
    ),
  ];
}

function missingTable({ missingReports }: ScheduleStats): Block[] {
  return [
    heading(`附表4\u3000月报未报送项目（${missingReports.count}个，${missingReports.reports}期）`),
    ...listed(
      {
        columns: [centred(5), { width: 30 }, { width: 18 }, { width: 35 }, centred(6), centred(6)],
        header: ['序号', '项目名称', '项目单位', '未报送月份', '期数', '评定'],
        rows: missingReports.items.map((p, i) => [
          String(i + 1),
          p.name,
          p.orgName ?? '',
          p.missingReports.map(monthText).join('、'),
          String(p.missingReports.length),
          p.rating ? ratingLabels[p.rating] : '—',
        ]),
      },
      missingReports.items.length,
      missingReports.count,
    ),
  ];
}

/** The bulletin for `stats`; `keyLevel` when it covers one level of key projects only. */
export function scheduleDocument(stats: ScheduleStats, keyLevel?: KeyLevel): DocumentSpec {
  const title = scheduleReportTitle(stats.month, keyLevel);
  const monthEnd = `${yearOfMonth(stats.month)}年${monthText(stats.month)}底`;
  const asOf = chineseDay(stats.asOf);
  return {
    metadata: {
      title,
      author: '发展和改革局',
      subject: `月度调度通报｜${stats.month}`,
      keywords: ['月度调度通报', '重点项目', stats.month],
      date: new Date(`${stats.asOf}T00:00:00+08:00`).toISOString(),
      fileId: createHash('sha256').update(`schedule:${stats.month}:${stats.asOf}:${stats.summary}`).digest('hex').slice(0, 32),
    },
    header: { left: title, right: `数据截至${asOf}` },
    body: [
      { type: 'title', text: title, subtitle: [`（数据统计至${monthEnd}，月报报送情况截至${asOf}）`] },
      heading('一、总体情况'),
      paragraph(stats.summary),
      ...levelTable(stats),
      paragraph('各单位完成情况、红色和黄色项目、未按计划开工项目及月报未报送项目见附表1至附表4。'),
      { type: 'pageBreak', orientation: 'landscape' },
      ...unitTable(stats),
      ...ratingTable(stats),
      ...notStartedTable(stats),
      ...missingTable(stats),
    ],
  };
}
