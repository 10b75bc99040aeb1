import { ratingLabels, ratings, type PlanRating } from '../../workflows/rating';
import { rules } from '../../workflows/rules-file';
import { currentScheduleMonth, isScheduled, yearOfMonth } from '../../workflows/schedule';
import { projectMonth, type ProjectMonth } from '../../workflows/schedule-figures';
import { chinaDay } from '../../workflows/working-days';
import { organisationName } from '../accounts/accounts.service';
import type { ProjectRow } from '../projects/catalogue';
import { sortByName } from '../shared/name-order';
import { countsInFigures } from './scope';

/** The month whose figures are current now (workflows/schedule.ts, currentScheduleMonth). */
export const currentMonth = (now = new Date()) => currentScheduleMonth(chinaDay(now), rules);

/**
 * The last month's figures worked out for each catalogue row: a row is
 * replaced whenever its project changes, so asking again for the same month
 * on the same day costs nothing.
 */
const known = new WeakMap<ProjectRow, { key: string; figures: ProjectMonth }>();

/** A project's scheduling figures and rating for `month`, as of `today`. */
export function figuresOf(row: ProjectRow, month: string, today: string): ProjectMonth {
  const key = `${month}|${today}`;
  const last = known.get(row);
  if (last?.key === key) return last.figures;
  const figures = projectMonth(row.schedule, month, today, rules);
  known.set(row, { key, figures });
  return figures;
}

export const planRatingOf = (row: ProjectRow, month: string, today: string): PlanRating => figuresOf(row, month, today).rating;

export interface ScheduledRow {
  row: ProjectRow;
  figures: ProjectMonth;
}

/** Every project scheduled in the month's year with its figures: those with a plan, and those under way without one. */
export function scheduledRows(rows: readonly ProjectRow[], month: string, today: string): ScheduledRow[] {
  const year = yearOfMonth(month);
  return rows
    .filter((row) => countsInFigures(row) && isScheduled(row.schedule, row.stage, year))
    .map((row) => ({ row, figures: figuresOf(row, month, today) }));
}

/** A list of projects names this many at most; its counts are always whole. */
export const LISTED = 200;

export const projectReference = (row: ProjectRow) => ({ id: row.id, name: row.name, orgName: organisationName(row.orgId), channel: row.channel });

const rank = (rating: PlanRating) => (rating.rating ? ratings.indexOf(rating.rating) : ratings.length);

/** What a list shows of a rated project. */
export const ratedItem = ({ row, figures: { rating } }: ScheduledRow) => ({
  ...projectReference(row),
  ...rating,
  ...(rating.rating ? { ratingLabel: ratingLabels[rating.rating] } : {}),
});

/** How many projects have each rating, how many have no plan to be rated against, and the list: red first, unrated last. */
export function ratingLists(scheduled: readonly ScheduledRow[], month: string) {
  const sorted = sortByName([...scheduled], (p) => p.row.name, (a, b) => rank(a.figures.rating) - rank(b.figures.rating));
  const counts = Object.fromEntries(ratings.map((r) => [r, scheduled.filter((p) => p.figures.rating.rating === r).length]));
  return {
    month,
    counts: counts as Record<(typeof ratings)[number], number>,
    unrated: scheduled.filter((p) => !p.figures.rating.rating).length,
    items: sorted.slice(0, LISTED).map(ratedItem),
  };
}
