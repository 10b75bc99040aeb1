import { currentMachineVersion, machineFor, stagesOf } from '../../workflows/machines';
import { channels, isReviewStage, stageLabel } from '../../workflows/vocabulary';
import { chinaDay } from '../../workflows/working-days';
import type { ProjectRow } from '../projects/catalogue';
import { currentMonth, rowReview } from '../projects/row-figures';
import { LISTED, projectReference, scheduledRows, ratingLists } from './schedule-rows';
import { rowsIn, type ReportScope } from './scope';

function stageCounts(rows: ProjectRow[], scope: ReportScope) {
  const count = new Map<string, number>();
  for (const row of rows) {
    const key = `${row.channel}:${row.stage}`;
    count.set(key, (count.get(key) ?? 0) + 1);
  }
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


/** Reviews under way past their time limit in working days, the most overdue first. */
export function overdueReviews(rows: ProjectRow[], now: Date) {
  const late = rows
    .filter((row) => isReviewStage(row.stage))
    .map((row) => ({ row, deadline: rowReview(row, now)! }))
    .filter(({ deadline }) => deadline.overdue)
    .sort((a, b) => a.deadline.dueDate.localeCompare(b.deadline.dueDate));
  const items = late.slice(0, LISTED).map(({ row, deadline }) => ({
    ...projectReference(row),
    stage: row.stage,
    enteredAt: row.stageEnteredAt.toISOString(),
    dueDate: deadline.dueDate,
    limitWorkingDays: deadline.limitWorkingDays,
    workingDaysUsed: deadline.workingDaysUsed,
  }));
  return { count: late.length, items };
}

/** How many projects are in each stage, which reviews are overdue, how projects under way are rated against their plans. */
export function pipelineStats(scope: ReportScope, now = new Date()) {
  const rows = rowsIn(scope);
  const month = currentMonth(now);
  return {
    stages: stageCounts(rows, scope),
    overdueReviews: overdueReviews(rows, now),
    ratings: ratingLists(scheduledRows(rows, month, chinaDay(now)), month),
  };
}
