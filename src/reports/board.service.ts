import { disbursedFunds, securedFunds } from '../../workflows/money';
import type { BoardField } from '../../workflows/rules';
import { rules } from '../../workflows/rules-file';
import { ratingLabels } from '../../workflows/rating';
import { percentNumber } from '../../workflows/units';
import { latestFigures } from '../../workflows/schedule';
import { fieldLabels } from '../../workflows/vocabulary';
import { chinaDay } from '../../workflows/working-days';
import { organisationName } from '../accounts/accounts.service';
import { catalogue } from '../projects/catalogue';
import { currentMonth } from '../projects/row-figures';
import { sortByName } from '../shared/name-order';
import { scheduledRows, type ScheduledRow } from './schedule-rows';

/**
 * The hall board (docs/domain.md, "The hall board": 在大厅 LED 屏上只针对推进快的和慢的项目进展情况进行公示).
 * Projects with a plan for the year are compared by the investment they
 * completed against their plan pro rata to the month of the current figures:
 * those on or ahead of it (`fastest`), furthest ahead first, and those behind
 * it (`slowest`), furthest behind first.
 * Only the fields rules.yaml declares public leave this module; nothing here
 * can carry a person's name.
 */
const fieldHeaders: Record<BoardField, string> = {
  name: '项目名称',
  field: '领域',
  orgName: '项目单位',
  location: '建设地点',
  startYear: '开工年份',
  endYear: '完工年份',
  progressPercent: '形象进度（%）',
  plannedPercent: '按时序应完成年度计划（%）',
  completionPercent: '已完成年度计划（%）',
  lastReportDate: '最近报送日期',
  rating: '红黄绿',
  // The screen shows each amount with its unit (万元 or 亿元, by its size).
  totalInvestment: '总投资',
  securedAmount: '到位资金',
  disbursedAmount: '已拨付',
  plannedInvestment: '年度计划投资',
  completedInvestment: '本年完成投资',
};

/** Shares of the year's plan: due by the month (pro rata), and completed to date; the rating compares the two. */
const plannedOf = ({ figures: { rating } }: ScheduledRow) => rating.plannedToDate! / rating.plannedInvestment!;
const completionOf = ({ figures: { rating } }: ScheduledRow) => rating.completedToDate! / rating.plannedInvestment!;

const fieldValues: Record<BoardField, (p: ScheduledRow) => string | number | undefined> = {
  name: (p) => p.row.name,
  field: (p) => fieldLabels[p.row.field],
  orgName: (p) => organisationName(p.row.orgId),
  location: (p) => p.row.location,
  startYear: (p) => p.row.startYear,
  endYear: (p) => p.row.endYear,
  progressPercent: (p) => latestFigures(p.row.schedule)?.percent,
  // Rounded for display, with the digits that keep the two shares apart when they differ (50.4 beside 50).
  plannedPercent: (p) => percentNumber(plannedOf(p), completionOf(p)),
  completionPercent: (p) => percentNumber(completionOf(p), plannedOf(p)),
  lastReportDate: (p) => latestFigures(p.row.schedule)?.reportedOn,
  rating: (p) => ratingLabels[p.figures.rating.rating!],
  totalInvestment: (p) => p.row.totalInvestment,
  securedAmount: (p) => securedFunds(p.row.channel, p.row.record),
  disbursedAmount: (p) => disbursedFunds(p.row.record),
  plannedInvestment: (p) => p.figures.rating.plannedInvestment,
  completedInvestment: (p) => p.figures.rating.completedToDate,
};

/** Every public field is present, `null` when the project has no value for it. */
function publicView(project: ScheduledRow, rank: number) {
  return { rank, ...Object.fromEntries(rules.publicBoard.fields.map((f) => [f, fieldValues[f](project) ?? null])) };
}

export function hallBoard(now = new Date()) {
  const month = currentMonth(now);
  // Only a plan with something due by now can be run ahead of or fallen behind.
  const ranked: ScheduledRow[] = scheduledRows(catalogue.rows(), month, chinaDay(now))
    .filter(({ figures }) => figures.rating.completionShare !== undefined);
  sortByName(ranked, (p) => p.row.name, (a, b) => b.figures.rating.completionShare! - a.figures.rating.completionShare!);
  const { projectsPerList } = rules.publicBoard;
  const ahead = ranked.filter((p) => p.figures.rating.completionShare! >= 1).slice(0, projectsPerList);
  const behind = ranked.filter((p) => p.figures.rating.completionShare! < 1).reverse().slice(0, projectsPerList);
  return {
    asOf: chinaDay(now),
    month,
    columns: rules.publicBoard.fields.map((key) => ({ key, label: fieldHeaders[key] })),
    fastest: ahead.map((p, i) => publicView(p, i + 1)),
    slowest: behind.map((p, i) => publicView(p, i + 1)),
  };
}
