import type { Writable } from 'node:stream';
import { monthText, ratingLabels, ratings } from '../../workflows/rating';
import { keyLevelLabels, yearOfMonth, type KeyLevel } from '../../workflows/schedule';
import type { ScheduleTotals } from '../../workflows/schedule-figures';
import { channelLabels } from '../../workflows/vocabulary';
import { addLedgerSheet, cellOf, displayWidth, numberFormats, streamingWorkbook, type CellValue, type LedgerColumn, type StreamingWorkbook } from '../shared/ledger-writer';
import type { ScheduleFigureKind, ScheduleProjectLine as Line, ScheduleStats } from './schedule-stats';
import { periodText, scheduleReportTitle, unitNames } from './schedule-summary';

/**
 * The monthly scheduling bulletin (月度调度通报) as a workbook: a sheet with the
 * paragraph and the key figures, then the tables as ledger sheets (ledger-writer.ts:
 * 万元 with two decimals, totals rows of SUBTOTAL formulas with their values).
 * The figures are scheduleStats'; the lists are whole, each project a figure
 * counts (scheduleProjects), where the API and the PDF name the first 200.
 */
type Format = LedgerColumn<unknown>['format'];
/** Every project one figure counts. */
type ProjectsOf = (figure: ScheduleFigureKind) => Line[];

const months = (list: readonly string[]) => list.map(monthText).join('、');
const flagLabels = { red: '红旗', black: '黑旗' } as const;

/** The columns of the figures, the same for levels and units. */
function figureColumns<R extends ScheduleTotals>(): LedgerColumn<R>[] {
  return [
    { header: '项目数', value: (r) => r.projects, total: 'sum' },
    { header: '计划新开工', value: (r) => r.newStarts, total: 'sum' },
    { header: '应开工', value: (r) => r.plannedToStart, total: 'sum' },
    { header: '已开工', value: (r) => r.started, total: 'sum' },
    { header: '开工率', value: (r) => r.startRate, format: 'percent' },
    { header: '年度计划投资（万元）', value: (r) => r.plannedInvestment, format: 'amount', total: 'sum' },
    { header: '按序时进度应完成（万元）', value: (r) => r.plannedToDate, format: 'amount', total: 'sum' },
    { header: '累计完成投资（万元）', value: (r) => r.completedInvestment, format: 'amount', total: 'sum' },
    { header: '完成率', value: (r) => r.completionRate, format: 'percent' },
    { header: '低于序时进度项目数', value: (r) => r.behindPlan, total: 'sum' },
  ];
}

type Level = ScheduleStats['levels'][number];
type Unit = ScheduleStats['units'][number];

const levelColumns: LedgerColumn<Level>[] = [{ header: '级别', value: (l) => l.label }, ...figureColumns<Level>()];

function unitColumns(halfYear: boolean): LedgerColumn<Unit>[] {
  const half: LedgerColumn<Unit>[] = [
    { header: '1—6月完成投资（万元）', value: (u) => u.halfYear?.completedByHalfYear, format: 'amount', total: 'sum' },
    { header: '1—6月完成率', value: (u) => u.halfYear?.completionRate, format: 'percent' },
    { header: '双过半', value: (u) => u.halfYear && (u.halfYear.passed ? '实现' : '未实现') },
  ];
  return [
    { header: '单位', value: (u) => u.name, total: 'count' },
    ...figureColumns<Unit>(),
    ...(halfYear ? half : []),
    { header: '红黑旗', value: (u) => u.flag && flagLabels[u.flag] },
  ];
}

const column = {
  name: { header: '项目名称', value: (p) => p.name, total: 'count' },
  code: { header: '项目代码', value: (p) => p.projectCode },
  org: { header: '项目单位', value: (p) => p.orgName },
  keyLevel: { header: '重点项目', value: (p) => p.keyLevel && keyLevelLabels[p.keyLevel] },
  planned: { header: '年度计划投资（万元）', value: (p) => p.plannedInvestment, format: 'amount', total: 'sum' },
  completed: { header: '累计完成投资（万元）', value: (p) => p.completedInvestment, format: 'amount', total: 'sum' },
  rating: { header: '红黄绿', value: (p) => (p.rating ? ratingLabels[p.rating] : '未评定') },
  missing: { header: '未报送月报', value: (p) => months(p.missingReports) },
  late: { header: '逾期报送月报', value: (p) => months(p.lateReports) },
  reason: { header: '评定理由', value: (p) => p.reason },
} satisfies Record<string, LedgerColumn<Line>>;

const ratingColumns: LedgerColumn<Line>[] = [
  column.name,
  column.code,
  column.org,
  { header: '资金渠道', value: (p) => channelLabels[p.channel] },
  column.keyLevel,
  column.rating,
  column.planned,
  { header: '按序时进度应完成（万元）', value: (p) => p.plannedToDate, format: 'amount', total: 'sum' },
  column.completed,
  { header: '完成率', value: (p) => p.completionRate, format: 'percent' },
  column.missing,
  column.late,
  column.reason,
];

const notStartedColumns: LedgerColumn<Line>[] = [
  column.name,
  column.code,
  column.org,
  column.keyLevel,
  { header: '计划开工', value: (p) => p.plannedStart },
  column.planned,
  column.completed,
  column.rating,
  column.reason,
];

const missingColumns: LedgerColumn<Line>[] = [
  column.name,
  column.code,
  column.org,
  column.missing,
  { header: '未报送期数', value: (p) => p.missingReports.length, total: 'sum' },
  column.late,
  column.rating,
];

type Figure = [label: string, value: CellValue, format?: Format, note?: string];

/** The key figures, in the order the paragraph gives them. */
function keyFigures(stats: ScheduleStats): Figure[] {
  const { counts, unrated } = stats.ratings;
  const half = stats.halfYear;
  return [
    ['列入年度计划项目数', stats.projects],
    ...stats.levels.map((l): Figure => [`其中：${l.label}`, l.projects]),
    ['计划新开工项目数', stats.newStarts, undefined, '计划开工日期在本年'],
    ['应开工项目数', stats.plannedToStart, undefined, '计划于本月底前开工'],
    ['已开工项目数', stats.started],
    ['开工率', stats.startRate, 'percent', '已开工 ÷ 应开工'],
    ['未按计划开工项目数', stats.notStarted.count, undefined, '明细见“未按计划开工”表'],
    ['年度计划投资（万元）', stats.plannedInvestment, 'amount'],
    ['按序时进度应完成（万元）', stats.plannedToDate, 'amount', '年度计划按月折算至本月底'],
    ['累计完成投资（万元）', stats.completedInvestment, 'amount', '本年 1 月至本月底'],
    ['完成率', stats.completionRate, 'percent', '累计完成投资 ÷ 年度计划投资'],
    ['完成投资低于序时进度的项目数', stats.behindPlan],
    ...(half
      ? ([
          ['1—6月完成投资（万元）', half.completedByHalfYear, 'amount'],
          ['1—6月完成率', half.completionRate, 'percent', '“双过半”：不低于 50%'],
          ['实现“双过半”的项目数', half.passedProjects, undefined, `共 ${half.projects} 个项目`],
          ['实现“双过半”的单位数', half.passedUnits, undefined, `共 ${half.units} 个单位`],
          ['未实现“双过半”的单位', half.failingUnits.map((u) => u.name).join('、') || '无'],
        ] satisfies Figure[])
      : []),
    ['红色项目数', counts.red, undefined, '明细见“红黄绿”表'],
    ['黄色项目数', counts.yellow],
    ['绿色项目数', counts.green],
    ['未评定项目数', unrated, undefined, '实施中但尚未制定年度计划'],
    ['红旗单位', unitNames(stats.units, stats.flags.red) || '无'],
    ['黑旗单位', unitNames(stats.units, stats.flags.black) || '无'],
    ['月报未报送项目数', stats.missingReports.count, undefined, '明细见“未报月报”表'],
    ['未报送月报期数', stats.missingReports.reports],
  ];
}

const SUMMARY_WIDTHS = [32, 18, 56];
/** Excel does not fit a row's height to wrapped text in merged cells: give the paragraph the lines it needs. */
const POINTS_PER_LINE = 16;

/** 汇总: the title, the period, the paragraph, and the key figures with what each means. */
function addSummarySheet(workbook: StreamingWorkbook, stats: ScheduleStats, title: string): void {
  const sheet = workbook.addWorksheet('汇总');
  sheet.columns = SUMMARY_WIDTHS.map((width) => ({ width }));
  const paragraphWidth = SUMMARY_WIDTHS.slice(1).reduce((a, b) => a + b, 0);

  const titleRow = sheet.addRow([title]);
  titleRow.font = { bold: true, size: 14 };
  sheet.mergeCells(1, 1, 1, SUMMARY_WIDTHS.length);
  titleRow.commit();
  sheet.addRow(['统计期', `${yearOfMonth(stats.month)}年${periodText(stats.month)}`]).commit();
  sheet.addRow(['数据截至', stats.asOf]).commit();
  const summaryRow = sheet.addRow(['综述', stats.summary]);
  summaryRow.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  summaryRow.height = Math.ceil(displayWidth(stats.summary) / paragraphWidth + 1) * POINTS_PER_LINE;
  sheet.mergeCells(summaryRow.number, 2, summaryRow.number, SUMMARY_WIDTHS.length);
  summaryRow.commit();
  sheet.addRow([]).commit();

  const header = sheet.addRow(['指标', '数值', '说明']);
  header.font = { bold: true };
  header.commit();
  for (const [label, value, format, note] of keyFigures(stats)) {
    const row = sheet.addRow([label, cellOf(value, format), note]);
    if (format) row.getCell(2).numFmt = numberFormats[format];
    row.commit();
  }
  sheet.commit();
}

/** The rated projects as the API lists them: red first, then yellow, green and those without a plan. */
const RATED_ORDER: ScheduleFigureKind[] = [...ratings, 'unrated'];

/** Writes the whole bulletin to `out`; stops early when `out` is gone. */
export async function writeScheduleWorkbook(out: Writable, stats: ScheduleStats, projectsOf: ProjectsOf, keyLevel?: KeyLevel): Promise<void> {
  const workbook = streamingWorkbook(out);
  addSummarySheet(workbook, stats, scheduleReportTitle(stats.month, keyLevel));
  const sheets = [
    () => addLedgerSheet(workbook, out, { title: '按级别', columns: levelColumns }, stats.levels),
    () => addLedgerSheet(workbook, out, { title: '按单位', columns: unitColumns(stats.halfYear !== undefined) }, stats.units),
    () => addLedgerSheet(workbook, out, { title: '红黄绿', columns: ratingColumns }, RATED_ORDER.flatMap(projectsOf)),
    () => addLedgerSheet(workbook, out, { title: '未按计划开工', columns: notStartedColumns }, projectsOf('notStarted')),
    () => addLedgerSheet(workbook, out, { title: '未报月报', columns: missingColumns }, projectsOf('missingReports')),
  ];
  for (const sheet of sheets) {
    if (out.destroyed) return;
    await sheet();
  }
  if (!out.destroyed) await workbook.commit();
}
