import { filesAwaitingReview, reviewDeadline, type ReviewDeadline } from '../../workflows/deadlines';
import { documentTypeLabel } from '../../workflows/dossier';
import type { NotificationContent, ProjectSubject, ReviewSubject } from '../../workflows/notifications';
import { rules } from '../../workflows/rules-file';
import { monthOf, mustReport, previousMonth, reportDueOn } from '../../workflows/schedule';
import { droppedStages, isReviewStage } from '../../workflows/vocabulary';
import { addWorkingDays, chinaDay } from '../../workflows/working-days';
import type { DirectoryEntry } from '../accounts/accounts.service';
import { catalogue, type ProjectRow } from '../projects/catalogue';
import { logger } from '../shared/logger';
import { deliver } from './inbox';
import { idOf, noticesFor, type Notice } from './notice';
import { reviewers, usersOfUnit } from './recipients';

/**
 * Notifications that time makes rather than a change (docs/domain.md,
 * "Notifications"): a review stage or a file's review due by the next working
 * day or overdue, a month's report due or late, and the deadlines other
 * capabilities hand in at start (a problem due). Worked out from the catalogue's rows in memory, every few
 * minutes; each is delivered once, under the id "<kind>:<project>:<due
 * date>~<user>" ("<kind>:<project>:<type>.<version>:<due date>~<user>" for a
 * file), however often the sweep finds it.
 */
const SWEEP_EVERY_MS = 10 * 60 * 1000;
/** Notices delivered at once, so a month's first sweep over thousands of projects goes in steps. */
const CHUNK = 1_000;
/** Ids known delivered are forgotten this long after their due date; the database still has them. */
const FORGET_AFTER_DAYS = 62;

/** Deadlines other capabilities keep (a problem's due date), given at start (notifications.start.ts). */
export type TimedNotices = (now: Date) => Notice[];
let otherDeadlines: readonly TimedNotices[] = [];

/** Notices delivered (or found delivered) by this process, with their due dates. */
const delivered = new Map<string, string>();

/** Due by the end of the next working day (on a Friday, a review due on Monday), or overdue. */
const urgency = (deadline: ReviewDeadline, now: Date) =>
  deadline.overdue ? ('review_overdue' as const) : addWorkingDays(now, 1) >= deadline.dueDate ? ('review_due' as const) : undefined;

/** A review stage's deadline and each waiting file's (限时办结), when near or past. */
function reviewNotices(row: ProjectRow, now: Date): Omit<Notice, 'userId'>[] {
  const about: ProjectSubject = { projectId: row.id, projectName: row.name, channel: row.channel };
  const notice = (deadline: ReviewDeadline, what: ReviewSubject, key: string): Omit<Notice, 'userId'>[] => {
    const kind = urgency(deadline, now);
    return kind ? [{ source: `${kind}:${row.id}:${key}${deadline.dueDate}`, content: { kind, subject: { ...about, ...what } }, orgId: row.orgId, at: now }] : [];
  };
  const stage = reviewDeadline(row.stage, row.stageEnteredAt, now, rules);
  const stageNotices = stage && isReviewStage(row.stage) ? notice(stage, { stage: row.stage, dueDate: stage.dueDate }, '') : [];
  const fileNotices = filesAwaitingReview(row, now, rules).flatMap((file) =>
    notice(file, { document: documentTypeLabel(rules, file.docType), version: file.version, dueDate: file.dueDate }, `${file.docType}.${file.version}:`),
  );
  return [...stageNotices, ...fileNotices];
}

/** Last month's report, once the month is over, until it is in: due until its due date, late after it. */
function reportNotice(row: ProjectRow, now: Date): Omit<Notice, 'userId'> | undefined {
  const today = chinaDay(now);
  const month = previousMonth(monthOf(today));
  if (droppedStages.includes(row.stage) || row.schedule.months[month] || !mustReport(row.schedule, row.stage, month)) return undefined;
  const dueDate = reportDueOn(month, rules);
  const kind = today > dueDate ? 'report_late' : 'report_due';
  const content: NotificationContent = { kind, subject: { projectId: row.id, projectName: row.name, channel: row.channel, month, dueDate } };
  return { source: `${kind}:${row.id}:${dueDate}`, content, orgId: row.orgId, at: now };
}

const dueDateOf = (notice: Notice) => (notice.content.subject as { dueDate: string }).dueDate;

/** One sweep as of `now`, until done or `stopping` says so; returns how many notices it delivered (or found delivered before). */
export async function sweep(now = new Date(), stopping = () => false): Promise<number> {
  const staff = reviewers();
  const units = new Map<string, DirectoryEntry[]>();
  const unitOf = (orgId: string) => units.get(orgId) ?? units.set(orgId, usersOfUnit(orgId)).get(orgId)!;
  const notices: Notice[] = [];
  for (const row of catalogue.rows()) {
    for (const review of reviewNotices(row, now)) notices.push(...noticesFor(row.responsibility?.staffId ? reviewers(row) : staff, review));
    const report = reportNotice(row, now);
    if (report) notices.push(...noticesFor(unitOf(row.orgId), report));
  }
  for (const deadlines of otherDeadlines) notices.push(...deadlines(now));
  const unknown = notices.filter((notice) => !delivered.has(idOf(notice)));
  for (let i = 0; i < unknown.length && !stopping(); i += CHUNK) {
    const chunk = unknown.slice(i, i + CHUNK);
    // Looked up first: after a restart most of them were delivered before.
    await deliver(chunk, true);
    for (const notice of chunk) delivered.set(idOf(notice), dueDateOf(notice));
  }
  const forgetBefore = chinaDay(new Date(now.getTime() - FORGET_AFTER_DAYS * 86_400_000));
  for (const [id, dueDate] of delivered) if (dueDate < forgetBefore) delivered.delete(id);
  return unknown.length;
}

/** Sweeps now and every few minutes until stopped; a sweep that fails is tried again at the next. */
export function startSweeps(deadlines: readonly TimedNotices[]): { stop(): Promise<void> } {
  otherDeadlines = deadlines;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const run = () => {
    running = running.then(() => sweep(new Date(), () => stopped)).catch((error: unknown) => logger.warn({ err: error }, 'notification sweep failed; trying again later'));
  };
  run();
  const timer = setInterval(run, SWEEP_EVERY_MS);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
