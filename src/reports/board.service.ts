import { disbursedFunds, securedFunds } from '../../workflows/money';
import type { BoardField } from '../../workflows/rules';
import { rules } from '../../workflows/rules-file';
import { ratingLabels } from '../../workflows/rating';
import { latestFigures, yearShare } from '../../workflows/schedule';
import { fieldLabels } from '../../workflows/vocabulary';
import { chinaDay } from '../../workflows/working-days';
import { organisationName } from '../accounts/accounts.service';
import { catalogue } from '../projects/catalogue';
import { sortByName } from '../shared/name-order';
import { currentMonth, scheduledRows, type ScheduledRow } from './schedule-rows';

/**
 * The hall board (docs/domain.md, "The hall board": 在大厅 LED 屏上只针对推进快的和慢的项目进展情况进行公示).
 * Projects with a plan for the year are ranked by the investment they completed
 * against their plan pro rata to the month of the current figures. Only the
 * fields rules.yaml declares public leave this module; nothing here can carry
 * a person's name.
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
  totalInvestment: '总投资（元）',
  securedAmount: '到位资金（元）',
  disbursedAmount: '已拨付（元）',
  plannedInvestment: '年度计划投资（元）',
  completedInvestment: '本年完成投资（元）',
};

type Ranked = ScheduledRow & { month: string };

const percent = (share: number) => Math.round(share * 100);

const fieldValues: Record<BoardField, (p: Ranked) => string | number | undefined> = {
  name: (p) => p.row.name,
  field: (p) => fieldLabels[p.row.field],
  orgName: (p) => organisationName(p.row.orgId),
  location: (p) => p.row.location,
  startYear: (p) => p.row.startYear,
  endYear: (p) => p.row.endYear,
  progressPercent: (p) => latestFigures(p.row.schedule)?.percent,
  plannedPercent: (p) => percent(yearShare(p.month)),
  completionPercent: (p) => percent(p.figures.rating.completedToDate! / p.figures.rating.plannedInvestment!),
  lastReportDate: (p) => latestFigures(p.row.schedule)?.reportedOn,
  rating: (p) => ratingLabels[p.figures.rating.rating!],
  totalInvestment: (p) => p.row.totalInvestment,
  securedAmount: (p) => securedFunds(p.row.channel, p.row.record),
  disbursedAmount: (p) => disbursedFunds(p.row.record),
  plannedInvestment: (p) => p.figures.rating.plannedInvestment,
  completedInvestment: (p) => p.figures.rating.completedToDate,
};

/** Every public field is present, `null` when the project has no value for it. */
function publicView(project: Ranked, rank: number) {
  return { rank, ...Object.fromEntries(rules.publicBoard.fields.map((f) => [f, fieldValues[f](project) ?? null])) };
}

export function hallBoard(now = new Date()) {
  const month = currentMonth(now);
  // Only a plan with something due by now can be run ahead of or fallen behind.
  const ranked: Ranked[] = scheduledRows(catalogue.rows(), month, chinaDay(now))
    .filter(({ figures }) => figures.rating.completionShare !== undefined)
    .map((p) => ({ ...p, month }));
  sortByName(ranked, (p) => p.row.name, (a, b) => b.figures.rating.completionShare! - a.figures.rating.completionShare!);
  // With few projects the two lists share them out rather than repeat them.
  const fastestCount = Math.min(rules.publicBoard.projectsPerList, Math.ceil(ranked.length / 2));
  const slowestCount = Math.min(rules.publicBoard.projectsPerList, ranked.length - fastestCount);
  const fastest = ranked.slice(0, fastestCount);
  const slowest = ranked.slice(ranked.length - slowestCount).reverse();
  return {
    asOf: chinaDay(now),
    month,
    columns: rules.publicBoard.fields.map((key) => ({ key, label: fieldHeaders[key] })),
    fastest: fastest.map((p, i) => publicView(p, i + 1)),
    slowest: slowest.map((p, i) => publicView(p, i + 1)),
  };
}
