import { reviewDeadline } from '../../workflows/deadlines';
import { currentMachineVersion, machineFor, stagesOf } from '../../workflows/machines';
import { ratingLabels, ratings, type Rating } from '../../workflows/rating';
import { rules } from '../../workflows/rules-file';
import { byChineseName, channels, isReviewStage, stageLabel } from '../../workflows/vocabulary';
import { chinaDay } from '../../workflows/working-days';
import { organisationName } from '../accounts/accounts.service';
import type { ProjectRow } from '../projects/catalogue';
import { ratingOf } from '../projects/row-rating';
import { rowsIn, type ReportScope } from './scope';

function stageCounts(rows: ProjectRow[], scope: ReportScope) {
  const count = new Map<string, number>();
  for (const row of rows) count.set(`${row.channel}:${row.stage}`, (count.get(`${row.channel}:${row.stage}`) ?? 0) + 1);
  const selected = scope.channel ? [scope.channel] : channels;
  return selected.flatMap((channel) =>
    stagesOf(machineFor(currentMachineVersion(channel))).map(({ stage }) => ({
      channel,
      stage,
      label: stageLabel(stage, channel),
      count: count.get(`${channel}:${stage}`) ?? 0,
    })),
  );
}

/** The most urgent projects a list of the pipeline names; its count is always the whole number. */
const LISTED = 200;

const reference = (row: ProjectRow) => ({ id: row.id, name: row.name, orgName: organisationName(row.orgId), channel: row.channel });

/** Reviews under way past their time limit in working days, the most overdue first. */
export function overdueReviews(rows: ProjectRow[], now: Date) {
  const late = rows
    .filter((row) => isReviewStage(row.stage))
    .map((row) => ({ row, deadline: reviewDeadline(row.stage, row.stageEnteredAt, now, rules)! }))
    .filter(({ deadline }) => deadline.overdue)
    .sort((a, b) => a.deadline.dueDate.localeCompare(b.deadline.dueDate));
  const items = late.slice(0, LISTED).map(({ row, deadline }) => ({
    ...reference(row),
    stage: row.stage,
    enteredAt: row.stageEnteredAt.toISOString(),
    dueDate: deadline.dueDate,
    limitWorkingDays: deadline.limitWorkingDays,
    workingDaysUsed: deadline.workingDaysUsed,
  }));
  return { count: late.length, items };
}

/** Every project in implementation with its rating on `now`. */
export function ratedProjects(rows: readonly ProjectRow[], now: Date) {
  const today = chinaDay(now);
  return rows.filter((row) => row.stage === 'implementation').map((row) => ({ row, ...ratingOf(row, today) }));
}

function ratingSummary(rows: ProjectRow[], now: Date) {
  const rated = ratedProjects(rows, now);
  const order = (r: Rating) => ratings.indexOf(r);
  rated.sort((a, b) => order(a.rating) - order(b.rating) || byChineseName(a.row.name, b.row.name));
  const counts = Object.fromEntries(ratings.map((r) => [r, rated.filter((p) => p.rating === r).length])) as Record<Rating, number>;
  const items = rated.slice(0, LISTED).map(({ row, rating, reason, disbursedShare, daysSinceProgressReport }) => ({
    ...reference(row),
    rating,
    ratingLabel: ratingLabels[rating],
    reason,
    disbursedShare,
    daysSinceProgressReport,
  }));
  return { counts, items };
}

/** How many projects are in each stage, which reviews are overdue, how projects in implementation are rated. */
export function pipelineStats(scope: ReportScope, now = new Date()) {
  const rows = rowsIn(scope);
  return { stages: stageCounts(rows, scope), overdueReviews: overdueReviews(rows, now), ratings: ratingSummary(rows, now) };
}
