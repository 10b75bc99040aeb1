import { organisationName, userEntry } from '../accounts/accounts.service';
import { fileReviewCounts, filesAwaitingReview } from '../../workflows/deadlines';
import { yiJianSanZheng } from '../../workflows/dossier';
import { ratings } from '../../workflows/rating';
import { rules } from '../../workflows/rules-file';
import { byChineseName, stages } from '../../workflows/vocabulary';
import { currentScheduleMonth, reportingFlags } from '../../workflows/schedule';
import { chinaDay } from '../../workflows/working-days';
import type { ProjectRow } from './catalogue';
import type { SortKey, SortOrder } from './project.schemas';
import { currentRating, rowReview } from './row-figures';
import { memoByRowAndKey } from './row-memo';
import { responsibilityView } from './responsibility-view';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

/** One page of the rows that match, in the order given, with how many match in all. */
export function pageOfRows<T>(rows: readonly ProjectRow[], matches: (row: ProjectRow) => boolean, page: number, limit: number, view: (row: ProjectRow) => T): Page<T> {
  const first = (page - 1) * limit;
  const items: T[] = [];
  let total = 0;
  for (const row of rows) {
    if (!matches(row)) continue;
    if (total >= first && items.length < limit) items.push(view(row));
    total++;
  }
  return { items, total, page, limit };
}

const viewKey = (row: ProjectRow, now: Date) =>
  [chinaDay(now), organisationName(row.orgId), userEntry(row.responsibility?.leaderId ?? '')?.displayName, userEntry(row.responsibility?.staffId ?? '')?.displayName].join('\u0000');

/**
 * A project as lists show it: its own fields, where it stands, its review
 * deadlines, readiness and rating. Besides the row, what it shows changes by
 * the day or with a name, so lists that ask for the same rows many times a day
 * work each one out once (row-memo.ts). Read-only: it is shared.
 */
export const rowView = memoByRowAndKey((row, now: Date) => freshRowView(row, now), viewKey);

function freshRowView(row: ProjectRow, now: Date) {
  const { record, trail: _trail, dossier, schedule, stageEnteredAt, createdAt, updatedAt, responsibility, ...fields } = row;
  const review = rowReview(row, now);
  const today = chinaDay(now);
  const rated = currentRating(row, now);
  return {
    ...fields,
    ...record,
    orgName: organisationName(row.orgId),
    responsibility: responsibilityView(responsibility),
    stageEnteredAt: stageEnteredAt.toISOString(),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    review,
    dueDate: review?.dueDate,
    overdue: review?.overdue ?? false,
    fileReviews: fileReviewCounts(filesAwaitingReview(row, now, rules)),
    readiness: { yiJianSanZheng: yiJianSanZheng(dossier, rules).complete },
    rating: rated?.rating,
    ratingReason: rated?.reason,
    reporting: reportingFlags(schedule, currentScheduleMonth(today, rules), today, rules),
  };
}

type SortValue = string | number | undefined;

/**
 * What each column of the list compares: names in pinyin order, stages in the
 * pipeline's order, ratings red first. A row without a value (no review under
 * way, no rating) goes last in either direction.
 */
function sortValues(now: Date): Record<SortKey, (row: ProjectRow) => SortValue> {
  return {
    name: (row) => row.name,
    orgName: (row) => organisationName(row.orgId),
    totalInvestment: (row) => row.totalInvestment,
    requestedAmount: (row) => row.requestedAmount,
    stage: (row) => stages.indexOf(row.stage),
    rating: (row) => {
      const rating = currentRating(row, now)?.rating;
      return rating && ratings.indexOf(rating);
    },
    dueDate: (row) => rowReview(row, now)?.dueDate,
    startYear: (row) => row.startYear,
    updatedAt: (row) => row.updatedAt.getTime(),
  };
}

const compareValues = (a: string | number, b: string | number) => (typeof a === 'string' && typeof b === 'string' ? byChineseName(a, b) : a < b ? -1 : a > b ? 1 : 0);

/**
 * The rows in the order asked for; ties keep the catalogue's order (newest
 * change first). Each row's value is worked out once, not at every comparison.
 */
export function sortRows(rows: ProjectRow[], key: SortKey, order: SortOrder, now = new Date()): ProjectRow[] {
  const valueOf = sortValues(now)[key];
  const keyed = rows.map((row, index) => ({ row, index, value: valueOf(row) }));
  const direction = order === 'asc' ? 1 : -1;
  keyed.sort((a, b) => {
    if (a.value === undefined || b.value === undefined) return (a.value === undefined ? 1 : 0) - (b.value === undefined ? 1 : 0) || a.index - b.index;
    return direction * compareValues(a.value, b.value) || a.index - b.index;
  });
  return keyed.map((k) => k.row);
}
