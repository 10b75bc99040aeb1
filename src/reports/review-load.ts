import { fileReviewCounts, filesAwaitingReview } from '../../workflows/deadlines';
import { rowReview } from '../projects/row-figures';
import { rules } from '../../workflows/rules-file';
import { finalStages } from '../../workflows/vocabulary';
import { userEntry } from '../accounts/accounts.service';
import { catalogue, type ProjectRow } from '../projects/catalogue';
import { sortByName } from '../shared/name-order';

/**
 * 限时办结 by member of staff (docs/domain.md, "Time limits"): for each 经办人,
 * the projects they handle and the stage reviews and files waiting on them,
 * with how many are past their time limit; and the same for projects nobody
 * handles yet. What a bureau head asks at the weekly meeting.
 */
interface Load {
  projects: number;
  reviews: { waiting: number; overdue: number };
  files: { waiting: number; overdue: number };
}

const emptyLoad = (): Load => ({ projects: 0, reviews: { waiting: 0, overdue: 0 }, files: { waiting: 0, overdue: 0 } });

function addProject(load: Load, row: ProjectRow, now: Date): void {
  load.projects++;
  const review = rowReview(row, now);
  if (review) {
    load.reviews.waiting++;
    if (review.overdue) load.reviews.overdue++;
  }
  const files = fileReviewCounts(filesAwaitingReview(row, now, rules));
  load.files.waiting += files.waiting;
  load.files.overdue += files.overdue;
}

const overdueOf = (load: Load) => load.reviews.overdue + load.files.overdue;

export function reviewLoad(now = new Date()) {
  const byStaff = new Map<string, Load>();
  const unassigned = emptyLoad();
  for (const row of catalogue.rows()) {
    if (finalStages.includes(row.stage)) continue;
    const staffId = row.responsibility?.staffId;
    if (!staffId) {
      addProject(unassigned, row, now);
      continue;
    }
    if (!byStaff.has(staffId)) byStaff.set(staffId, emptyLoad());
    addProject(byStaff.get(staffId)!, row, now);
  }
  const staff = [...byStaff].map(([staffId, load]) => ({ staffId, name: userEntry(staffId)?.displayName ?? staffId, ...load }));
  return {
    staff: sortByName(staff, (s) => s.name, (a, b) => overdueOf(b) - overdueOf(a)),
    unassigned,
  };
}
