import { rateAgainstPlan, type PlanRating } from './rating';
import type { WorkflowRules } from './rules';
import {
  completedInYear,
  dueToStartBy,
  halfYearMonth,
  isNewStart,
  passesHalfYear,
  plannedToDate,
  startedBy,
  yearOfMonth,
  type ScheduleState,
  type YearPlan,
} from './schedule';

/**
 * The figures of the monthly scheduling report (月度调度通报, docs/domain.md
 * "After the money"): one project's for a month, and the totals of any group
 * of projects (a unit, a key-project level, the district). Every figure of the
 * report is a sum of these, so a total always equals the projects it lists.
 */
export interface ProjectMonth {
  plan?: YearPlan;
  plannedInvestment: number;
  /** The year's plan pro rata to the month. */
  plannedToDate: number;
  /** Completed in the year up to the end of the month. */
  completed: number;
  /** Completed in the year by the end of June, once June is reached (双过半). */
  completedByHalfYear?: number;
  newStart: boolean;
  dueToStart: boolean;
  started: boolean;
  behind: boolean;
  rating: PlanRating;
}

/** A project's figures for `month` (YYYY-MM), as of `today`. */
export function projectMonth(schedule: ScheduleState, month: string, today: string, rules: WorkflowRules): ProjectMonth {
  const year = yearOfMonth(month);
  const plan = schedule.plans[String(year)];
  const completed = completedInYear(schedule, year, month);
  const toDate = plan ? plannedToDate(plan, month) : 0;
  const dueToStart = dueToStartBy(plan, month);
  return {
    plan,
    plannedInvestment: plan?.plannedInvestment ?? 0,
    plannedToDate: toDate,
    completed,
    completedByHalfYear: month >= halfYearMonth(year) ? completedInYear(schedule, year, halfYearMonth(year)) : undefined,
    newStart: isNewStart(plan, year),
    dueToStart,
    started: dueToStart && startedBy(schedule, month),
    behind: plan !== undefined && completed < toDate,
    rating: rateAgainstPlan(schedule, month, today, rules),
  };
}

/** A share, or nothing when there is nothing to share out. */
const rate = (part: number, whole: number) => (whole > 0 ? part / whole : undefined);

export interface ScheduleTotals {
  projects: number;
  /** 新开工: planned to start in the year. */
  newStarts: number;
  /** Planned to start by the end of the month, and of those started (开工率). */
  plannedToStart: number;
  started: number;
  startRate?: number;
  plannedInvestment: number;
  plannedToDate: number;
  completedInvestment: number;
  /** Completed against the whole year's plan (完成率). */
  completionRate?: number;
  behindPlan: number;
}

/** The totals of projects with a plan for the month's year. */
export function totalsOf(projects: readonly ProjectMonth[]): ScheduleTotals {
  const sum = (value: (p: ProjectMonth) => number) => projects.reduce((total, p) => total + value(p), 0);
  const count = (test: (p: ProjectMonth) => boolean) => projects.filter(test).length;
  const plannedToStart = count((p) => p.dueToStart);
  const started = count((p) => p.started);
  const plannedInvestment = sum((p) => p.plannedInvestment);
  const completedInvestment = sum((p) => p.completed);
  return {
    projects: projects.length,
    newStarts: count((p) => p.newStart),
    plannedToStart,
    started,
    startRate: rate(started, plannedToStart),
    plannedInvestment,
    plannedToDate: sum((p) => p.plannedToDate),
    completedInvestment,
    completionRate: rate(completedInvestment, plannedInvestment),
    behindPlan: count((p) => p.behind),
  };
}

/** 双过半 of a group: whether it completed half its plans by the end of June, and how many of its projects did. */
export interface HalfYearTotals {
  projects: number;
  passedProjects: number;
  plannedInvestment: number;
  completedByHalfYear: number;
  completionRate?: number;
  passed: boolean;
}

export function halfYearOf(projects: readonly ProjectMonth[]): HalfYearTotals {
  const plannedInvestment = projects.reduce((total, p) => total + p.plannedInvestment, 0);
  const completedByHalfYear = projects.reduce((total, p) => total + (p.completedByHalfYear ?? 0), 0);
  return {
    projects: projects.length,
    passedProjects: projects.filter((p) => passesHalfYear(p.completedByHalfYear ?? 0, p.plannedInvestment)).length,
    plannedInvestment,
    completedByHalfYear,
    completionRate: rate(completedByHalfYear, plannedInvestment),
    passed: passesHalfYear(completedByHalfYear, plannedInvestment),
  };
}

/**
 * 红黑旗: the best and the worst units by completion rate, `count` of each.
 * Units with nothing planned are not ranked; with few units the two lists
 * share them out rather than name one unit in both.
 */
export function redBlackFlags<U extends { completionRate?: number; name: string }>(units: readonly U[], count: number, compareNames: (a: string, b: string) => number) {
  const ranked = units
    .filter((u) => u.completionRate !== undefined)
    .sort((a, b) => b.completionRate! - a.completionRate! || compareNames(a.name, b.name));
  const red = Math.min(count, Math.ceil(ranked.length / 2));
  const black = Math.min(count, ranked.length - red);
  return { red: ranked.slice(0, red), black: ranked.slice(ranked.length - black).reverse() };
}
