import { rateImplementation, type ImplementationRating } from '../../workflows/rating';
import { rules } from '../../workflows/rules-file';
import { chinaDay } from '../../workflows/working-days';
import type { ProjectRow } from './catalogue';

/**
 * Ratings already worked out, by catalogue row and day: a row is replaced
 * whenever its project changes, so a rating is computed once a day at most,
 * however many lists, filters, pages and reports ask for it.
 */
const ratingsToday = new WeakMap<ProjectRow, { day: string; rating: ImplementationRating }>();

/** The 红黄绿 rating of a project in implementation on `day`. */
export function ratingOf(row: ProjectRow, day: string): ImplementationRating {
  const known = ratingsToday.get(row);
  if (known?.day === day) return known.rating;
  const rating = rateImplementation({ ...row, startedOn: chinaDay(row.stageEnteredAt) }, day, rules);
  ratingsToday.set(row, { day, rating });
  return rating;
}

/** The rating of any project on `day`: none unless it is in implementation. */
export const ratingIfRated = (row: ProjectRow, day: string): ImplementationRating | undefined =>
  row.stage === 'implementation' ? ratingOf(row, day) : undefined;
