import { organisationName } from '../accounts/accounts.service';
import { fileReviewCounts, filesAwaitingReview, reviewDeadline } from '../../workflows/deadlines';
import { yiJianSanZheng } from '../../workflows/dossier';
import { rules } from '../../workflows/rules-file';
import { currentScheduleMonth, reportingFlags } from '../../workflows/schedule';
import { chinaDay } from '../../workflows/working-days';
import type { ProjectRow } from './catalogue';

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

/** A project as lists show it: its own fields, where it stands, its review deadlines and readiness. */
export function rowView(row: ProjectRow, now = new Date()) {
  const { record, trail: _trail, dossier, schedule, stageEnteredAt, createdAt, updatedAt, ...fields } = row;
  const review = reviewDeadline(row.stage, stageEnteredAt, now, rules);
  const today = chinaDay(now);
  return {
    ...fields,
    ...record,
    orgName: organisationName(row.orgId),
    stageEnteredAt: stageEnteredAt.toISOString(),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    review,
    dueDate: review?.dueDate,
    overdue: review?.overdue ?? false,
    fileReviews: fileReviewCounts(filesAwaitingReview(row, now, rules)),
    readiness: { yiJianSanZheng: yiJianSanZheng(dossier, rules).complete },
    reporting: reportingFlags(schedule, currentScheduleMonth(today, rules), today, rules),
  };
}
