import { rules } from '../../workflows/rules-file';
import { halfYearMonth, keyLevelLabels, keyLevels, monthsBetween, plannedToDate, yearOfMonth, type KeyLevel } from '../../workflows/schedule';
import { halfYearOf, redBlackFlags, totalsOf, type ProjectMonth } from '../../workflows/schedule-figures';
import { byChineseName } from '../../workflows/vocabulary';
import { leaderCoverage } from '../../workflows/responsibility';
import type { ProjectRow } from '../projects/catalogue';
import { chinaDay } from '../../workflows/working-days';
import { organisationName } from '../accounts/accounts.service';
import { currentMonth } from '../projects/row-figures';
import { LISTED, projectReference, ratingLists, scheduledRows, type ScheduledRow } from './schedule-rows';
import { groupBy } from '../shared/group-by';
import { sortByName } from '../shared/name-order';
import { scheduleSummary } from './schedule-summary';
import { rowsIn, type ReportScope } from './scope';

/**
 * The monthly scheduling figures (月度调度, docs/domain.md "After the money")
 * for a month of its year: starts, completion against the year's plans,
 * 双过半, 红黄绿 and 红黑旗, reports missing. Worked out from the catalogue's
 * rows, whose figures are kept per project (schedule-rows.ts).
 */
export interface ScheduleQuery extends ReportScope {
  month?: string;
  keyLevel?: KeyLevel;
}

interface Selection {
  month: string;
  year: number;
  today: string;
  /** Projects with a plan for the year (of the level asked for): the ones the figures count. */
  planned: ScheduledRow[];
  /** Those and the projects under way without a plan: the ones rated. */
  scheduled: ScheduledRow[];
}

function select({ month: asked, keyLevel, ...scope }: ScheduleQuery, now: Date): Selection {
  const month = asked ?? currentMonth(now);
  const today = chinaDay(now);
  // In name order once: every list made from these keeps it.
  const all = sortByName(scheduledRows(rowsIn(scope), month, today), (p) => p.row.name);
  const scheduled = keyLevel ? all.filter((p) => p.figures.plan?.keyLevel === keyLevel) : all;
  return { month, year: yearOfMonth(month), today, planned: scheduled.filter((p) => p.figures.plan), scheduled };
}

const figures = (rows: readonly ScheduledRow[]): ProjectMonth[] => rows.map((p) => p.figures);

/** The figures by key-project level, and for projects that are not key projects. */
function byLevel(planned: readonly ScheduledRow[]) {
  const groups = groupBy(planned, (p) => p.figures.plan?.keyLevel);
  return [...keyLevels, undefined].map((level) => ({
    keyLevel: level ?? null,
    label: level ? keyLevelLabels[level] : '非重点项目',
    ...totalsOf(figures(groups.get(level) ?? [])),
  }));
}

/** The figures by unit, the best first, with 双过半 from June and each unit's 红黑旗. */
function byUnit(planned: readonly ScheduledRow[], month: string) {
  const halfYearReached = month >= halfYearMonth(yearOfMonth(month));
  const units = [...groupBy(planned, (p) => p.row.orgId)].map(([orgId, rows]) => ({
    orgId,
    name: organisationName(orgId) ?? orgId,
    ...totalsOf(figures(rows)),
    ...(halfYearReached ? { halfYear: halfYearOf(figures(rows)) } : {}),
  }));
  const flags = redBlackFlags(units, rules.redBlackFlags, byChineseName);
  const flagOf = (orgId: string): 'red' | 'black' | undefined => (flags.red.some((u) => u.orgId === orgId) ? 'red' : flags.black.some((u) => u.orgId === orgId) ? 'black' : undefined);
  return {
    units: sortByName(units, (u) => u.name, (a, b) => (b.completionRate ?? -1) - (a.completionRate ?? -1)).map((unit) => ({ ...unit, flag: flagOf(unit.orgId) })),
    flags: { red: flags.red.map((u) => u.orgId), black: flags.black.map((u) => u.orgId) },
  };
}

/** Completion against plan month by month, both added up from January. */
function byMonth(planned: readonly ScheduledRow[], month: string) {
  const months = monthsBetween(`${yearOfMonth(month)}-01`, month);
  const completedIn = months.map(() => 0);
  for (const { row } of planned) {
    months.forEach((m, i) => {
      completedIn[i]! += row.schedule.months[m]?.completed ?? 0;
    });
  }
  let completed = 0;
  return months.map((m, i) => {
    completed += completedIn[i]!;
    const plannedSoFar = planned.reduce((sum, { figures: f }) => sum + plannedToDate(f.plan!, m), 0);
    return { month: m, plannedToDate: plannedSoFar, completedInvestment: completed };
  });
}

/** 双过半 at the half year, for projects and units: present once June is reached. */
function halfYear(planned: readonly ScheduledRow[], units: ReturnType<typeof byUnit>['units'], month: string) {
  if (month < halfYearMonth(yearOfMonth(month))) return undefined;
  const failingUnits = units.filter((u) => u.halfYear && !u.halfYear.passed);
  return {
    month: halfYearMonth(yearOfMonth(month)),
    ...halfYearOf(figures(planned)),
    units: units.length,
    passedUnits: units.length - failingUnits.length,
    failingUnits: failingUnits.map(({ orgId, name, halfYear: h }) => ({ orgId, name, ...h! })),
  };
}

/** A project in a drill-down list: what it planned, did, and how it is rated. */
const projectLine = ({ row, figures: f }: ScheduledRow) => ({
  ...projectReference(row),
  keyLevel: f.plan?.keyLevel,
  plannedInvestment: f.plan?.plannedInvestment,
  plannedStart: f.plan?.plannedStart,
  startedOn: row.schedule.startedOn,
  plannedToDate: f.plannedToDate,
  completedInvestment: f.completed,
  completionRate: f.plannedInvestment > 0 ? f.completed / f.plannedInvestment : undefined,
  rating: f.rating.rating,
  reason: f.rating.reason,
  missingReports: f.rating.missingReports,
  lateReports: f.rating.lateReports,
});

export type ScheduleProjectLine = ReturnType<typeof projectLine>;

const listOf = (rows: readonly ScheduledRow[]) => ({
  count: rows.length,
  items: rows.slice(0, LISTED).map(projectLine),
});

/** The drill-downs of the figures: which projects each one counts. */
export const scheduleFigureKinds = ['planned', 'plannedToStart', 'started', 'notStarted', 'behindPlan', 'halfYearFailing', 'missingReports', 'red', 'yellow', 'green', 'unrated', 'keyWithoutLeader'] as const;
export type ScheduleFigureKind = (typeof scheduleFigureKinds)[number];

const isKeyWithoutLeader = (f: ProjectMonth, row: ProjectRow) => f.plan?.keyLevel !== undefined && row.responsibility?.leaderId === undefined;

const figureTests: Record<ScheduleFigureKind, { rows: (s: Selection) => ScheduledRow[]; test: (f: ProjectMonth, row: ProjectRow) => boolean }> = {
  planned: { rows: (s) => s.planned, test: () => true },
  plannedToStart: { rows: (s) => s.planned, test: (f) => f.dueToStart },
  started: { rows: (s) => s.planned, test: (f) => f.started },
  notStarted: { rows: (s) => s.planned, test: (f) => f.dueToStart && !f.started },
  behindPlan: { rows: (s) => s.planned, test: (f) => f.behind },
  halfYearFailing: { rows: (s) => s.planned, test: (f) => f.completedByHalfYear !== undefined && f.completedByHalfYear * 2 < f.plannedInvestment },
  missingReports: { rows: (s) => s.scheduled, test: (f) => f.rating.missingReports.length > 0 },
  red: { rows: (s) => s.scheduled, test: (f) => f.rating.rating === 'red' },
  yellow: { rows: (s) => s.scheduled, test: (f) => f.rating.rating === 'yellow' },
  green: { rows: (s) => s.scheduled, test: (f) => f.rating.rating === 'green' },
  unrated: { rows: (s) => s.scheduled, test: (f) => f.rating.rating === undefined },
  keyWithoutLeader: { rows: (s) => s.planned, test: isKeyWithoutLeader },
};

const projectsCounted = (selection: Selection, kind: ScheduleFigureKind) =>
  figureTests[kind].rows(selection).filter((p) => figureTests[kind].test(p.figures, p.row));

/** 挂联全覆盖: the year's key projects with and without a responsible leader, in all and by level. */
function coverage(selection: Selection) {
  const of = (rows: readonly ScheduledRow[]) => leaderCoverage(rows.map(({ row, figures: f }) => ({ keyLevel: f.plan?.keyLevel, leaderId: row.responsibility?.leaderId })));
  return {
    ...of(selection.planned),
    levels: keyLevels.map((level) => ({ keyLevel: level, label: keyLevelLabels[level], ...of(selection.planned.filter((p) => p.figures.plan?.keyLevel === level)) })),
    withoutLeaderList: listOf(projectsCounted(selection, 'keyWithoutLeader')),
  };
}

/** Every figure of the month for the projects in scope, and the paragraph written from them. */
export function scheduleStats(query: ScheduleQuery, now = new Date()) {
  const selection = select(query, now);
  const { month, planned, scheduled } = selection;
  const units = byUnit(planned, month);
  const missing = projectsCounted(selection, 'missingReports');
  const stats = {
    month,
    asOf: selection.today,
    ...totalsOf(figures(planned)),
    halfYear: halfYear(planned, units.units, month),
    levels: byLevel(planned),
    months: byMonth(planned, month),
    ...units,
    ratings: ratingLists(scheduled, month),
    notStarted: listOf(projectsCounted(selection, 'notStarted')),
    missingReports: { ...listOf(missing), reports: missing.reduce((n, p) => n + p.figures.rating.missingReports.length, 0) },
    coverage: coverage(selection),
  };
  const { orgId, field, channel, keyLevel } = query;
  return { ...stats, summary: scheduleSummary(stats, { orgName: orgId && (organisationName(orgId) ?? '该单位'), field, channel, keyLevel }) };
}

export type ScheduleStats = ReturnType<typeof scheduleStats>;

/** The projects one figure counts, a page at a time. */
export function scheduleProjects({ figure, page, limit, ...query }: ScheduleQuery & { figure: ScheduleFigureKind; page: number; limit: number }, now = new Date()) {
  const selection = select(query, now);
  const rows = projectsCounted(selection, figure);
  return { month: selection.month, figure, items: rows.slice((page - 1) * limit, page * limit).map(projectLine), total: rows.length, page, limit };
}
