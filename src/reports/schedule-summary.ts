import { monthText, type Rating } from '../../workflows/rating';
import { keyLevelLabels, yearOfMonth, type KeyLevel } from '../../workflows/schedule';
import type { HalfYearTotals, ScheduleTotals } from '../../workflows/schedule-figures';
import { amountText, percentText } from '../../workflows/units';
import { channelShortLabels, fieldLabels, type Channel, type Field } from '../../workflows/vocabulary';

/**
 * The paragraph that opens a bureau's monthly scheduling bulletin (月度调度通报,
 * docs/domain.md "After the money"): "1—8月，全区……完成投资……占年度计划的……
 * 开工率……". Written from the month's figures alone (schedule-stats.ts), so
 * every number in it is one the tables beside it show. A sentence whose
 * figures are all zero or absent is left out or said in words.
 */
export interface ScheduleFigures extends ScheduleTotals {
  month: string;
  halfYear?: HalfYearTotals & { units: number; passedUnits: number; failingUnits: readonly { name: string }[] };
  levels: readonly { keyLevel: KeyLevel | null; projects: number }[];
  units: readonly { orgId: string; name: string }[];
  flags: { red: readonly string[]; black: readonly string[] };
  ratings: { counts: Record<Rating, number>; unrated: number };
  notStarted: { count: number };
  missingReports: { count: number; reports: number };
}

/** What the figures cover, as the paragraph names it. */
export interface SummaryScope {
  orgName?: string;
  field?: Field;
  channel?: Channel;
  keyLevel?: KeyLevel;
}

/** 1—8月, or 1月 for January alone. */
export const periodText = (month: string) => (month.endsWith('-01') ? monthText(month) : `1—${monthText(month)}`);

/** The bulletin's title: 2026年1—8月重点项目调度通报, or 市重点项目… for one level. */
export const scheduleReportTitle = (month: string, keyLevel?: KeyLevel) =>
  `${yearOfMonth(month)}年${periodText(month)}${keyLevel ? keyLevelLabels[keyLevel] : '重点'}项目调度通报`;

const place = (scope: SummaryScope) => scope.orgName ?? '全区';

/** The names of the units a flag list gives by id, as the bulletin writes them. */
export const unitNames = (units: ScheduleFigures['units'], orgIds: readonly string[]) => orgIds.map((id) => units.find((u) => u.orgId === id)?.name ?? id).join('、');

/** 交通领域专项债券市重点项目: the projects the figures count. */
const projectsNamed = (scope: SummaryScope) =>
  `${scope.field ? `${fieldLabels[scope.field]}领域` : ''}${scope.channel ? channelShortLabels[scope.channel] : ''}${scope.keyLevel ? keyLevelLabels[scope.keyLevel] : ''}项目`;

function levelBreakdown(figures: ScheduleFigures, scope: SummaryScope): string {
  if (scope.keyLevel) return '';
  const parts = figures.levels.filter((l) => l.keyLevel && l.projects > 0).map((l) => `${keyLevelLabels[l.keyLevel!]}项目${l.projects}个`);
  return parts.length ? `（其中${parts.join('、')}）` : '';
}

function investmentSentence(f: ScheduleFigures, scope: SummaryScope): string {
  const share = f.completionRate === undefined ? '' : `，占年度计划的${percentText(f.completionRate)}`;
  const completed = f.completedInvestment > 0 ? `累计完成投资${amountText(f.completedInvestment)}${share}` : '尚未完成投资';
  const behind = f.behindPlan > 0 ? `，${f.behindPlan}个项目完成投资低于序时进度` : '，各项目完成投资均达到序时进度';
  return `列入${yearOfMonth(f.month)}年度计划的${projectsNamed(scope)}${f.projects}个${levelBreakdown(f, scope)}，年度计划投资${amountText(f.plannedInvestment)}，${completed}${behind}。`;
}

function startSentence(f: ScheduleFigures): string {
  if (f.newStarts === 0) return '本年无计划新开工项目。';
  if (f.plannedToStart === 0) return `计划新开工项目${f.newStarts}个，均未到计划开工时间。`;
  const due = f.plannedToStart === f.newStarts ? '' : `，其中计划${monthText(f.month)}底前开工${f.plannedToStart}个`;
  const rate = `开工率${percentText(f.startRate!)}`;
  if (f.started === 0) return `计划新开工项目${f.newStarts}个${due}，均未开工，${rate}。`;
  const missed = f.notStarted.count > 0 ? `，${f.notStarted.count}个项目未按计划开工` : '';
  return `计划新开工项目${f.newStarts}个${due}，已开工${f.started}个，${rate}${missed}。`;
}

function halfYearSentence(f: ScheduleFigures, scope: SummaryScope): string {
  const h = f.halfYear;
  if (!h || h.projects === 0) return '';
  const share = h.completionRate === undefined ? '' : `，占年度计划的${percentText(h.completionRate)}`;
  const overall = `上半年，${h.projects}个项目中${h.passedProjects}个实现“双过半”，1—6月完成投资${amountText(h.completedByHalfYear)}${share}，${place(scope)}${h.passed ? '实现' : '未实现'}“双过半”`;
  if (h.units < 2) return `${overall}。`;
  const failing = h.failingUnits.map((u) => u.name).join('、');
  const units =
    h.passedUnits === h.units ? `${h.units}个单位均实现` : h.passedUnits === 0 ? `${h.units}个单位均未实现` : `${h.units}个单位中${h.passedUnits}个实现，${failing}未实现`;
  return `${overall}；${units}。`;
}

function ratingSentence({ ratings: { counts, unrated } }: ScheduleFigures): string {
  const unratedText = `${unrated}个实施中项目尚未制定年度计划，未予评定`;
  if (counts.red + counts.yellow + counts.green === 0) return unrated > 0 ? `${unratedText}。` : '';
  return `按红黄绿评定，红色项目${counts.red}个、黄色${counts.yellow}个、绿色${counts.green}个${unrated > 0 ? `；另有${unratedText}` : ''}。`;
}

function flagSentence(f: ScheduleFigures): string {
  // Flags rank units against each other: with one unit in scope they say nothing.
  if (f.units.length < 2) return '';
  const parts = [...(f.flags.red.length ? [`红旗单位：${unitNames(f.units, f.flags.red)}`] : []), ...(f.flags.black.length ? [`黑旗单位：${unitNames(f.units, f.flags.black)}`] : [])];
  return parts.length ? `${parts.join('；')}。` : '';
}

function reportSentence({ projects, missingReports }: ScheduleFigures): string {
  if (missingReports.count > 0) return `${missingReports.count}个项目共${missingReports.reports}期月报未报送。`;
  return projects > 0 ? '各项目月报均已报送。' : '';
}

export function scheduleSummary(figures: ScheduleFigures, scope: SummaryScope): string {
  const opening = `${yearOfMonth(figures.month)}年${periodText(figures.month)}，${place(scope)}`;
  if (figures.projects === 0) {
    // Works under way without a plan are still rated, and may still owe reports.
    return `${opening}尚无列入${yearOfMonth(figures.month)}年度计划的${projectsNamed(scope)}。${ratingSentence(figures)}${reportSentence(figures)}`;
  }
  return [
    opening + investmentSentence(figures, scope),
    startSentence(figures),
    halfYearSentence(figures, scope),
    ratingSentence(figures),
    flagSentence(figures),
    reportSentence(figures),
  ].join('');
}
