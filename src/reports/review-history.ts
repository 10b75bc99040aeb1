import { reviewDeadline } from '../../workflows/deadlines';
import { rules } from '../../workflows/rules-file';
import { rowReview } from '../projects/row-figures';
import { chinaDay } from '../../workflows/working-days';
import { rowsIn, type ReportScope } from './scope';
import { yearOf } from './units';
import { memoByRow } from '../projects/row-memo';

/**
 * Reviews finished in `year` and how many of those took longer than their time
 * limit; and, when `year` is the current one, reviews under way already past it.
 * Read from each project's trail of review stays; limits are today's settings.
 */
/** Each finished review stay of a project: the year it ended and whether it ended late. */
const finishedReviews = memoByRow((row) =>
  row.trail.reviewSpells.flatMap((spell) => {
    if (!spell.endedAt) return [];
    const ended = new Date(spell.endedAt);
    return [{ year: yearOf(chinaDay(ended)), late: reviewDeadline(spell.stage, new Date(spell.enteredAt), ended, rules)!.overdue }];
  }),
);

export function reviewTimeliness(year: number, scope: ReportScope, now = new Date()) {
  const current = yearOf(chinaDay(now)) === year;
  const result = { finished: 0, finishedLate: 0, openOverdue: 0 };
  for (const row of rowsIn(scope)) {
    for (const review of finishedReviews(row)) {
      if (review.year !== year) continue;
      result.finished++;
      if (review.late) result.finishedLate++;
    }
    // A review under way is the project's present stage: it is overdue as of now.
    if (current && rowReview(row, now)?.overdue) result.openOverdue++;
  }
  return result;
}
