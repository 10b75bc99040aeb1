import { ratingLabels, ratings, type PlanRating } from '../../workflows/rating';
import { yearOfMonth } from '../../workflows/schedule';
import type { ProjectMonth } from '../../workflows/schedule-figures';
import { organisationName } from '../accounts/accounts.service';
import type { ProjectRow } from '../projects/catalogue';
import { figuresOf, isScheduledIn } from '../projects/row-figures';
import { sortByName } from '../shared/name-order';

export interface ScheduledRow {
  row: ProjectRow;
  figures: ProjectMonth;
}

/** Every project scheduled in the month's year with its figures: those with a plan, and those under way without one. */
export function scheduledRows(rows: readonly ProjectRow[], month: string, today: string): ScheduledRow[] {
  const year = yearOfMonth(month);
  return rows
    .filter((row) => isScheduledIn(row, year))
    .map((row) => ({ row, figures: figuresOf(row, month, today) }));
}

/** A list of projects names this many at most; its counts are always whole. */
export const LISTED = 200;

export const projectReference = (row: ProjectRow) => ({ id: row.id, name: row.name, projectCode: row.projectCode, orgName: organisationName(row.orgId), channel: row.channel });

const rank = (rating: PlanRating) => (rating.rating ? ratings.indexOf(rating.rating) : ratings.length);

/** What a list shows of a rated project. */
export const ratedItem = ({ row, figures: { rating } }: ScheduledRow) => ({
  ...projectReference(row),
  ...rating,
  ...(rating.rating ? { ratingLabel: ratingLabels[rating.rating] } : {}),
});

/** How many projects have each rating, how many have no plan to be rated against, and the list: red first, unrated last. */
export function ratingLists(scheduled: readonly ScheduledRow[], month: string) {
  const ranked = scheduled.map((item) => ({ item, rank: rank(item.figures.rating) }));
  const sorted = sortByName(ranked, (r) => r.item.row.name, (a, b) => a.rank - b.rank);
  const counts = Object.fromEntries(ratings.map((r) => [r, 0])) as Record<(typeof ratings)[number], number>;
  let unrated = 0;
  for (const { figures } of scheduled) {
    if (figures.rating.rating) counts[figures.rating.rating]++;
    else unrated++;
  }
  return { month, counts, unrated, items: sorted.slice(0, LISTED).map((r) => ratedItem(r.item)) };
}
