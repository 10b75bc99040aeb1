import { may } from '../../workflows/access';
import { documentTypeLabel } from '../../workflows/dossier';
import { rules } from '../../workflows/rules-file';
import { isReviewStage } from '../../workflows/vocabulary';
import type { CurrentUser } from '../shared/current-user';
import { sortByName } from '../shared/name-order';
import { filesAwaitingReview } from '../../workflows/deadlines';
import { rowReview } from './row-figures';
import { organisationName } from '../accounts/accounts.service';
import { catalogue, type ProjectRow } from './catalogue';

/** What a queue line shows of a project: not the whole list row, since the queue lists many at once. */
function queueLine(row: ProjectRow, now: Date) {
  const review = rowReview(row, now);
  return {
    id: row.id,
    name: row.name,
    orgId: row.orgId,
    orgName: organisationName(row.orgId),
    channel: row.channel,
    field: row.field,
    stage: row.stage,
    version: row.version,
    requestedAmount: row.requestedAmount,
    stageEnteredAt: row.stageEnteredAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    review,
    dueDate: review?.dueDate,
    overdue: review?.overdue ?? false,
  };
}

/** How many of each list the queue shows at once, the most urgent first; the totals are always whole. */
const SHOWN = 200;

/**
 * The staff's 待办: projects waiting in a review stage and projects whose
 * newest files nobody has reviewed yet, each the most urgent due date first.
 */
export function workQueue(user: CurrentUser, now = new Date()) {
  const reviews = [];
  const files = [];
  for (const row of catalogue.rows()) {
    if (isReviewStage(row.stage)) reviews.push(queueLine(row, now));
    const waiting = may(user, 'review', row) ? filesAwaitingReview(row, now, rules) : [];
    if (waiting.length) files.push({ row, waiting });
  }
  sortByName(reviews, (r) => r.name, (a, b) => a.review!.dueDate.localeCompare(b.review!.dueDate));
  sortByName(files, (f) => f.row.name, (a, b) => a.waiting[0]!.dueDate.localeCompare(b.waiting[0]!.dueDate));
  return {
    reviews: reviews.slice(0, SHOWN),
    reviewsTotal: reviews.length,
    files: files.slice(0, SHOWN).map(({ row, waiting }) => ({
      ...queueLine(row, now),
      // The line's due date is its most urgent file's.
      dueDate: waiting[0]!.dueDate,
      overdue: waiting.some((f) => f.overdue),
      pendingDocuments: waiting.map((file) => ({ ...file, label: documentTypeLabel(rules, file.docType) })),
    })),
    filesTotal: files.length,
  };
}
