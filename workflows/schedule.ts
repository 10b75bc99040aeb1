import { messages } from './messages';
import type { WorkflowRules } from './rules';
import { isWorkingDay } from './working-days';

/**
 * Monthly scheduling (调度, docs/domain.md "After the money"): a project's plan
 * for a year, the reports its unit sends each month, when each is due, and the
 * figures bureaus report (开工率, 完成率, 双过半). Pure functions of a project's
 * plans and reports; the server keeps those with the project.
 */
export const keyLevels = ['province', 'city', 'county'] as const;
export type KeyLevel = (typeof keyLevels)[number];

export const keyLevelLabels: Record<KeyLevel, string> = {
  province: '省重点',
  city: '市重点',
  county: '区（县）重点',
};

/** A project's plan for one year (年度计划). */
export interface YearPlan {
  keyLevel?: KeyLevel;
  /** 年度计划投资, yuan. */
  plannedInvestment: number;
  /** 计划开工, YYYY-MM-DD. */
  plannedStart?: string;
  /** 计划竣工, YYYY-MM-DD. */
  plannedCompletion?: string;
}

/** What a month's report says, as the project keeps it: its newest revision. */
export interface MonthFigures {
  /** 本月完成投资, yuan. */
  completed: number;
  /** 形象进度, 0–100. */
  percent: number;
  /** The day the newest revision was sent (YYYY-MM-DD), and the one the first was: lateness counts from the first. */
  reportedOn: string;
  firstReportedOn: string;
  revisions: number;
  inStatistics?: boolean;
}

/** Everything scheduling knows of a project. */
export interface ScheduleState {
  plans: Partial<Record<string, YearPlan>>;
  /** By month (YYYY-MM). */
  months: Partial<Record<string, MonthFigures>>;
  /** 实际开工, the day its unit reported works started. */
  startedOn?: string;
  /** The day works were completed, if they were. */
  completedOn?: string;
  /** 形象进度 in words, from the report of the latest month. */
  latestNote?: { month: string; text: string };
}

export const emptySchedule = (): ScheduleState => ({ plans: {}, months: {} });

export const monthOf = (day: string) => day.slice(0, 7);
export const yearOfMonth = (month: string) => Number(month.slice(0, 4));

/** The month `by` months after `month` (YYYY-MM); before it when `by` is negative. */
export function shiftMonth(month: string, by: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + m - 1 + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export const nextMonth = (month: string) => shiftMonth(month, 1);
export const previousMonth = (month: string) => shiftMonth(month, -1);

/** Months from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to; month = nextMonth(month)) months.push(month);
  return months;
}

/** Due days already worked out: reports ask for the same few months for thousands of projects. */
const dueDays = new Map<string, string>();

/**
 * When a month's report is due: on the day the settings name in the following
 * month, or the next working day after it when that day is a holiday or a
 * weekend (China's official calendar, 调休 included).
 */
export function reportDueOn(month: string, rules: Pick<WorkflowRules, 'monthlyReports'>): string {
  const key = `${month}|${rules.monthlyReports.dueDay}`;
  let day = dueDays.get(key);
  if (day === undefined) {
    day = `${nextMonth(month)}-${String(rules.monthlyReports.dueDay).padStart(2, '0')}`;
    while (!isWorkingDay(day)) day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    dueDays.set(key, day);
  }
  return day;
}

/**
 * The months a project must report on from `from` up to `upTo`: from the actual
 * start (or, before it, the planned start of the year's plan) to completion.
 */
export function reportingMonths(schedule: ScheduleState, upTo: string, from = '0000-01'): string[] {
  const start = reportingStart(schedule);
  if (!start) return [];
  return monthsBetween(start > from ? start : from, reportingEnd(schedule, upTo));
}

/** The first month to report on: the actual start, or before it the earliest planned start. */
function reportingStart(schedule: ScheduleState): string | undefined {
  const plannedStarts = Object.values(schedule.plans).flatMap((plan) => (plan?.plannedStart ? [plan.plannedStart] : []));
  const start = schedule.startedOn ?? plannedStarts.sort()[0];
  return start && monthOf(start);
}

/** The last month to report on up to `upTo`: the completion month, if the works were completed before it. */
const reportingEnd = (schedule: ScheduleState, upTo: string) =>
  schedule.completedOn && monthOf(schedule.completedOn) < upTo ? monthOf(schedule.completedOn) : upTo;

/** Whether a report for `month` is expected of the project (or was sent anyway): due in its reporting months, once it may be sent. */
export function mustReport(schedule: ScheduleState, stage: string, month: string): boolean {
  if (schedule.months[month] !== undefined) return true;
  const start = reportingStart(schedule);
  return start !== undefined && start <= month && reportingEnd(schedule, month) === month && mayReportFor(schedule, stage, month);
}

export const reportStatuses = ['on-time', 'late', 'missing', 'not-due'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

/** What each status of a month's report is called. */
export const reportStatusLabels: Record<ReportStatus, string> = {
  'on-time': '按时报送',
  late: '逾期报送',
  missing: '逾期未报',
  'not-due': '尚未到期',
};

/** Whether a month's report came by its due date, came late, or is missing (as of `today`). */
export function reportStatus(schedule: ScheduleState, month: string, today: string, rules: Pick<WorkflowRules, 'monthlyReports'>): ReportStatus {
  const due = reportDueOn(month, rules);
  const figures = schedule.months[month];
  if (figures) return figures.firstReportedOn <= due ? 'on-time' : 'late';
  return today > due ? 'missing' : 'not-due';
}

/** The figures of the latest month reported. */
export function latestFigures(schedule: ScheduleState): MonthFigures | undefined {
  const latest = Object.keys(schedule.months).sort().at(-1);
  return latest === undefined ? undefined : schedule.months[latest];
}

/** The reports of `month`'s year, up to that month, that are missing or came late, as of `today`. */
export function reportingFlags(schedule: ScheduleState, month: string, today: string, rules: Pick<WorkflowRules, 'monthlyReports'>) {
  const statuses = reportingMonths(schedule, month, `${yearOfMonth(month)}-01`).map((m) => ({ month: m, status: reportStatus(schedule, m, today, rules) }));
  return {
    missing: statuses.filter((s) => s.status === 'missing').map((s) => s.month),
    late: statuses.filter((s) => s.status === 'late').map((s) => s.month),
  };
}

/** Investment completed in `year`, up to and including `upTo` (YYYY-MM). */
export function completedInYear(schedule: ScheduleState, year: number, upTo: string): number {
  let total = 0;
  for (const [month, figures] of Object.entries(schedule.months)) {
    if (figures && yearOfMonth(month) === year && month <= upTo) total += figures.completed;
  }
  return total;
}

/** Investment completed since works started, up to and including `upTo`. */
export function completedSinceStart(schedule: ScheduleState, upTo: string): number {
  return Object.entries(schedule.months).reduce((total, [month, figures]) => (figures && month <= upTo ? total + figures.completed : total), 0);
}

/** The share of the year gone by the end of `month`: June is half. */
export const yearShare = (month: string) => Number(month.slice(5, 7)) / 12;

/** The year's plan pro rata to `month`: what should have been completed by its end. */
export const plannedToDate = (plan: YearPlan, month: string) => Math.round(plan.plannedInvestment * yearShare(month));

/**
 * The month whose figures are current on `today`: the latest whose reports
 * were due before today. Until the 5th of December (the due day) that is
 * October, since November's reports may still come in time.
 */
export function currentScheduleMonth(today: string, rules: Pick<WorkflowRules, 'monthlyReports'>): string {
  let month = previousMonth(monthOf(today));
  while (reportDueOn(month, rules) >= today) month = previousMonth(month);
  return month;
}

/** The month of the half-year check (双过半): by the end of June, half the time is gone. */
export const halfYearMonth = (year: number) => `${year}-06`;

/** 双过半: at least half the year's plan completed by the end of June. */
export const passesHalfYear = (completed: number, planned: number) => completed * 2 >= planned;

/** Stages in which works go on: the unit reports monthly even without a plan for the year. */
const worksStages: readonly string[] = ['approved', 'issued', 'implementation', 'completed'];

/** A month may be reported on once its year has a plan or the project has reached the works. */
const mayReportFor = (schedule: ScheduleState, stage: string, month: string) =>
  schedule.plans[String(yearOfMonth(month))] !== undefined || worksStages.includes(stage);

/**
 * Whether a project takes part in scheduling in `year`: it has a plan for the
 * year, or its works are under way (then it reports, and says it has no plan).
 */
export const isScheduled = (schedule: ScheduleState, stage: string, year: number) =>
  schedule.plans[String(year)] !== undefined || stage === 'implementation';

/** Whether the project had started by the end of `month`. */
export const startedBy = (schedule: ScheduleState, month: string) => schedule.startedOn !== undefined && monthOf(schedule.startedOn) <= month;

/** Its planned start in the year falls on or before `month`, so it should have started. */
export function dueToStartBy(plan: YearPlan | undefined, month: string): boolean {
  return plan?.plannedStart !== undefined && monthOf(plan.plannedStart) <= month && yearOfMonth(plan.plannedStart) === yearOfMonth(month);
}

/** 新开工 when it is planned to start in the plan's year, 续建 when it started before. */
export function isNewStart(plan: YearPlan | undefined, year: number): boolean {
  return plan?.plannedStart !== undefined && yearOfMonth(plan.plannedStart) === year;
}

/** What a history entry of scheduling carries (the service writes these; the check folds them again). */
export interface PlanEntryData {
  year: number;
  plan: YearPlan;
  /** The import (of a sheet of plans) the plan came with. */
  importId?: string;
}
export interface ReportEntryData {
  month: string;
  revision: number;
  completedInvestment: number;
  progressPercent: number;
  startedOn?: string;
  inStatistics?: boolean;
  progressNote: string;
}

/**
 * The schedule after one more history entry: plans from PLAN entries, each
 * month's figures from its newest MONTHLY_REPORT. A fold, like the trail
 * (trail.ts): the service applies it to each change, `npm run check` to the
 * whole history, and the two must agree.
 */
export function advanceSchedule(schedule: ScheduleState, entry: { event: string; day: string; data?: unknown }): ScheduleState {
  if (entry.event === 'PLAN') {
    const { year, plan } = entry.data as PlanEntryData;
    return { ...schedule, plans: { ...schedule.plans, [String(year)]: plan } };
  }
  if (entry.event === 'MONTHLY_REPORT') {
    const data = entry.data as ReportEntryData;
    const earlier = schedule.months[data.month];
    const figures: MonthFigures = {
      completed: data.completedInvestment,
      percent: data.progressPercent,
      reportedOn: entry.day,
      firstReportedOn: earlier?.firstReportedOn ?? entry.day,
      revisions: data.revision,
      ...(data.inStatistics !== undefined ? { inStatistics: data.inStatistics } : {}),
    };
    const latest = !schedule.latestNote || data.month >= schedule.latestNote.month;
    return {
      ...schedule,
      months: { ...schedule.months, [data.month]: figures },
      ...(data.startedOn ? { startedOn: data.startedOn } : {}),
      ...(latest ? { latestNote: { month: data.month, text: data.progressNote } } : {}),
    };
  }
  return schedule;
}

/** Why a unit may not send this month's report now, or nothing when it may. */
export function reportRefusal(schedule: ScheduleState, stage: string, report: { month: string; reason?: string }, today: string): string | undefined {
  if (report.month > monthOf(today)) return messages.futureReport;
  if (!mayReportFor(schedule, stage, report.month)) return messages.reportNotDue(yearOfMonth(report.month));
  if (schedule.months[report.month] && !report.reason?.trim()) return messages.correctionNeedsReason;
  return undefined;
}
