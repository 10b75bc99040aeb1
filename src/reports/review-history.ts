import { reviewDeadline } from '../../workflows/deadlines';
import { rules } from '../../workflows/rules-file';
import { chinaDay } from '../../workflows/working-days';
import { rowsIn, type ReportScope } from './scope';
import { yearOf } from './units';

/**
 * Reviews finished in `year` and how many of those took longer than their time
 * limit; and, when `year` is the current one, reviews under way already past it.
 * Read from each project's trail of review stays; limits are today's settings.
 */
export function reviewTimeliness(year: number, scope: ReportScope, now = new Date()) {
  const current = yearOf(chinaDay(now)) === year;
  const result = { finished: 0, finishedLate: 0, openOverdue: 0 };
  for (const row of rowsIn(scope)) {
    for (const spell of row.trail.reviewSpells) {
      const ended = spell.endedAt ? new Date(spell.endedAt) : undefined;
      const overdue = reviewDeadline(spell.stage, new Date(spell.enteredAt), ended ?? now, rules)!.overdue;
      if (ended && yearOf(chinaDay(ended)) === year) {
        result.finished++;
        if (overdue) result.finishedLate++;
      } else if (!ended && current && overdue) {
        result.openOverdue++;
      }
    }
  }
  return result;
}
