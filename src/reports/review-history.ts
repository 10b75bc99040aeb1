import type { Stage } from '../../workflows/stages';
import { Project, type HistoryEntry } from '../projects/project.model';
import { reviewDeadline } from '../workflow/status';
import { chinaDay } from '../workflow/working-days';
import { reviewStages } from './pipeline.service';
import { scopeMatch, type ReportScope } from './scope';
import { yearOf } from './units';

interface ReviewSpell {
  stage: Stage;
  enteredAt: Date;
  /** When the review ended (approved, returned or rejected); none while it is under way. */
  endedAt?: Date;
}

/** Every stay in a review stage, from the transitions in a project's history. */
function reviewSpells(history: Pick<HistoryEntry, 'at' | 'from' | 'to'>[]): ReviewSpell[] {
  const spells: ReviewSpell[] = [];
  let open: ReviewSpell | undefined;
  for (const entry of history) {
    if (!entry.to || entry.from === entry.to) continue;
    if (open) {
      open.endedAt = entry.at;
      open = undefined;
    }
    if (reviewStages.includes(entry.to)) {
      open = { stage: entry.to, enteredAt: entry.at };
      spells.push(open);
    }
  }
  return spells;
}

/**
 * Reviews finished in `year` and how many of those took longer than their time
 * limit; and, when `year` is the current one, reviews under way already past it.
 * Limits are today's settings (workflows/rules.yaml).
 */
export async function reviewTimeliness(year: number, scope: ReportScope, now = new Date()) {
  const thisYear = yearOf(chinaDay(now));
  // A review that ended in `year` left a history entry in that year or later.
  const since = new Date(`${year}-01-01T00:00:00+08:00`);
  const cursor = Project.find(
    { ...scopeMatch(scope), 'history.at': { $gte: since }, 'history.to': { $in: reviewStages } },
    { 'history.at': 1, 'history.from': 1, 'history.to': 1 },
  )
    .lean<{ history: HistoryEntry[] }[]>()
    .cursor({ batchSize: 1000 });
  const result = { finished: 0, finishedLate: 0, openOverdue: 0 };
  for await (const project of cursor) {
    for (const spell of reviewSpells(project.history)) {
      const overdue = reviewDeadline({ stage: spell.stage, stageEnteredAt: spell.enteredAt }, spell.endedAt ?? now)!.overdue;
      if (spell.endedAt && yearOf(chinaDay(spell.endedAt)) === year) {
        result.finished++;
        if (overdue) result.finishedLate++;
      } else if (!spell.endedAt && year === thisYear && overdue) {
        result.openOverdue++;
      }
    }
  }
  return result;
}
