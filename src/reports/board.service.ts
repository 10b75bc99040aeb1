import type { BoardField } from '../../workflows/rules';
import { rules } from '../../workflows/rules-file';
import { ratingLabels } from '../../workflows/rating';
import { percentNumber } from '../../workflows/units';
import { byChineseName, fieldLabels } from '../../workflows/vocabulary';
import { chinaDay } from '../../workflows/working-days';
import { organisationName } from '../accounts/accounts.service';
import { catalogue } from '../projects/catalogue';
import { ratedProjects } from './pipeline.service';

/**
 * The hall board (docs/domain.md, "The hall board": 在大厅 LED 屏上只针对推进快的和慢的项目进展情况进行公示).
 * Projects in implementation that have reported progress are compared with the
 * share of their stated construction period already elapsed: those ahead of it
 * (`fastest`), furthest ahead first, and those behind it (`slowest`), furthest
 * behind first. A project on plan exactly is in neither. Only the fields
 * rules.yaml declares public leave this module; nothing here can carry a
 * person's name.
 */
const fieldHeaders: Record<BoardField, string> = {
  name: '项目名称',
  field: '领域',
  orgName: '项目单位',
  location: '建设地点',
  startYear: '开工年份',
  endYear: '完工年份',
  progressPercent: '形象进度（%）',
  plannedPercent: '计划进度（%）',
  lastReportDate: '最近报送日期',
  rating: '红黄绿',
  // The screen shows each amount with its unit (万元 or 亿元, by its size).
  totalInvestment: '总投资',
  securedAmount: '到位资金',
  disbursedAmount: '已拨付',
};

type Ranked = ReturnType<typeof ratedProjects>[number] & { orgName?: string };

const fieldValues: Record<BoardField, (p: Ranked) => string | number | undefined> = {
  name: (p) => p.row.name,
  field: (p) => fieldLabels[p.row.field],
  orgName: (p) => p.orgName,
  location: (p) => p.row.location,
  startYear: (p) => p.row.startYear,
  endYear: (p) => p.row.endYear,
  progressPercent: (p) => p.progressPercent,
  // Rounded for display, with the digits that keep it apart from the progress it is compared with (98.1 beside 98).
  plannedPercent: (p) => percentNumber(p.plannedShare, p.progressPercent! / 100),
  lastReportDate: (p) => p.lastReportDate,
  rating: (p) => ratingLabels[p.rating],
  totalInvestment: (p) => p.row.totalInvestment,
  securedAmount: (p) => p.securedAmount,
  disbursedAmount: (p) => p.disbursedAmount,
};

const lead = (p: Ranked) => p.progressPercent! - p.plannedShare * 100;

/** Every public field is present, `null` when the project has no value for it. */
function publicView(project: Ranked, rank: number) {
  return { rank, ...Object.fromEntries(rules.publicBoard.fields.map((f) => [f, fieldValues[f](project) ?? null])) };
}

export function hallBoard(now = new Date()) {
  const reporting = ratedProjects(catalogue.rows(), now).filter((p) => p.progressPercent !== undefined);
  const ranked: Ranked[] = reporting
    .map((p) => ({ ...p, orgName: organisationName(p.row.orgId) }))
    .sort((a, b) => lead(b) - lead(a) || byChineseName(a.row.name, b.row.name));
  const { projectsPerList } = rules.publicBoard;
  const ahead = ranked.filter((p) => lead(p) > 0).slice(0, projectsPerList);
  const behind = ranked.filter((p) => lead(p) < 0).reverse().slice(0, projectsPerList);
  return {
    asOf: chinaDay(now),
    columns: rules.publicBoard.fields.map((key) => ({ key, label: fieldHeaders[key] })),
    fastest: ahead.map((p, i) => publicView(p, i + 1)),
    slowest: behind.map((p, i) => publicView(p, i + 1)),
  };
}
