import { LRUCache } from 'lru-cache';
import { isValidObjectId, Types, type mongo } from 'mongoose';
import type { z } from 'zod';
import { messages } from '../../workflows/messages';
import { rules } from '../../workflows/rules-file';
import { canSee } from '../../workflows/access';
import {
  completedInYear,
  completedSinceStart,
  monthOf,
  mustReport,
  previousMonth,
  reportDueOn,
  reportRefusal,
  reportStatus,
  yearOfMonth,
  type PlanEntryData,
  type ReportEntryData,
  type ReportStatus,
} from '../../workflows/schedule';
import { droppedStages } from '../../workflows/vocabulary';
import type { monthlyReportInput, yearPlanInput } from '../../workflows/schedule-input';
import { chinaDay } from '../../workflows/working-days';
import type { CurrentUser } from '../shared/current-user';
import { sortByName } from '../shared/name-order';
import { invalid, notFound, Problem } from '../shared/problem';
import { organisationName } from '../accounts/accounts.service';
import { catalogue, scheduleOf } from '../projects/catalogue';
import { historyEntry } from '../projects/history';
import type { ProjectDoc } from '../projects/project.model';
import { commitProjectChange } from '../projects/project.repository';
import { assertMayOnProject, loadProjectFor } from '../projects/projects.service';
import { recordOfStoredFile, type StoredFile } from '../dossier/storage';
import { assertProblemsOfProject } from '../problems/problems.service';
import { MonthlyReports, reportId, SitePhotos, type MonthlyReportRecord, type SitePhotoRecord } from './schedule.model';

type YearPlanInput = z.output<typeof yearPlanInput>;
type MonthlyReportInput = z.output<typeof monthlyReportInput>;

const reports = () => MonthlyReports.collection as unknown as mongo.Collection<MonthlyReportRecord>;
const photos = () => SitePhotos.collection as unknown as mongo.Collection<SitePhotoRecord>;

/**
 * Reports a project counts, read lately. Such a record never changes (a
 * correction is the next revision), and the embedded database finds records
 * quickly only one `_id` at a time, so a project's page reads each once.
 */
const countedReports = new LRUCache<string, MonthlyReportRecord>({ max: 50_000 });

async function countedReport(_id: string): Promise<MonthlyReportRecord | undefined> {
  const known = countedReports.get(_id);
  if (known) return known;
  const record = await reports().findOne({ _id });
  if (record) countedReports.set(_id, record);
  return record ?? undefined;
}

/** Sets (or changes) a project's plan for a year: 年度计划投资, 计划开工 and 竣工, and its key-project level; `importId` names the import it came with. */
export function setYearPlan(user: CurrentUser, projectId: string, year: number, plan: YearPlanInput, now = new Date(), importId?: string): Promise<ProjectDoc> {
  return commitProjectChange(projectId, (current) => {
    assertMayOnProject(user, 'plan', current);
    const data: PlanEntryData = { year, plan, ...(importId ? { importId } : {}) };
    return { set: {}, entry: historyEntry(user, 'PLAN', { data }, now) };
  });
}

/** The photos a report names must be this project's. */
async function checkPhotos(projectId: Types.ObjectId, photoIds: string[]): Promise<Types.ObjectId[]> {
  const ids = photoIds.map((id) => new Types.ObjectId(id));
  const found = await Promise.all(ids.map((_id) => photos().findOne({ _id }, { projection: { projectId: 1 } })));
  if (found.some((photo) => !photo?.projectId.equals(projectId))) throw invalid([{ path: 'photoIds', message: messages.photoNotOfProject }]);
  return ids;
}

/** A month's report from the unit (or staff for it); a second one for the same month is a correction and needs a reason. */
export async function sendMonthlyReport(user: CurrentUser, projectId: string, input: MonthlyReportInput, now = new Date()): Promise<MonthlyReportRecord> {
  const project = await loadProjectFor(user, projectId, 'report');
  const photoIds = await checkPhotos(project._id, input.photoIds ?? []);
  const problemIds = [...new Set(input.problemIds ?? [])];
  assertProblemsOfProject(projectId, problemIds);
  let record: MonthlyReportRecord | undefined;
  await commitProjectChange(
    projectId,
    (current) => {
      assertMayOnProject(user, 'report', current);
      const refusal = reportRefusal(scheduleOf(current), current.stage, input, chinaDay(now));
      if (refusal) throw new Problem(422, messages.reportRefusedTitle, refusal, { errors: [{ path: refusal === messages.correctionNeedsReason ? 'reason' : 'month', message: refusal }] });
      const revision = (current.schedule?.months[input.month]?.revisions ?? 0) + 1;
      const { month, completedInvestment, progressPercent, progressNote, problems, startedOn, inStatistics, reason } = input;
      record = {
        _id: reportId(projectId, month, revision),
        projectId: current._id,
        month,
        revision,
        completedInvestment,
        progressPercent,
        progressNote,
        problems,
        problemIds: problemIds.length ? problemIds : undefined,
        startedOn,
        inStatistics,
        photoIds,
        reason: revision > 1 ? reason : undefined,
        reportedAt: now,
        reportedBy: { id: user.id, name: user.displayName, role: user.role },
      };
      const data: ReportEntryData = { month, revision, completedInvestment, progressPercent, progressNote, startedOn, inStatistics };
      return { set: {}, entry: historyEntry(user, 'MONTHLY_REPORT', { reason: record.reason, data }, now) };
    },
    async () => {
      // A record left by an earlier attempt whose project change failed is not part of any project yet: this one takes its place.
      await reports().replaceOne({ _id: record!._id }, record!, { upsert: true });
    },
  );
  countedReports.set(record!._id, record!);
  return record!;
}

/**
 * Every report of the project (of one year, when asked), every revision kept,
 * month by month, with the running totals and whether each came in time.
 */
export async function listMonthlyReports(user: CurrentUser, projectId: string, year?: number) {
  const project = await loadProjectFor(user, projectId);
  const schedule = scheduleOf(project);
  const keys = Object.entries(schedule.months)
    .filter(([month]) => year === undefined || yearOfMonth(month) === year)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([month, figures]) => Array.from({ length: figures?.revisions ?? 0 }, (_, i) => reportId(projectId, month, i + 1)));
  const found = (await Promise.all(keys.map(countedReport))).filter((r) => r !== undefined);
  return found.map((report) => {
    const dueOn = reportDueOn(report.month, rules);
    return {
      ...reportView(report),
      dueOn,
      late: chinaDay(report.reportedAt) > dueOn && report.revision === 1,
      newest: report.revision === schedule.months[report.month]?.revisions,
      completedThisYear: completedInYear(schedule, yearOfMonth(report.month), report.month),
      completedSinceStart: completedSinceStart(schedule, report.month),
    };
  });
}

export const reportView = ({ _id: _key, projectId: _project, photoIds, reportedAt, ...report }: MonthlyReportRecord) => ({
  ...report,
  photos: photoIds.map((id) => ({ id: id.toString(), url: `/api/site-photos/${id.toString()}/content` })),
  reportedAt: reportedAt.toISOString(),
});

const statusOrder: readonly ReportStatus[] = ['missing', 'not-due', 'late', 'on-time'];

export interface ReportingQuery {
  month?: string;
  orgId?: string;
  status?: ReportStatus;
  page: number;
  limit: number;
}

/**
 * Who has reported for a month, and who has not: every project that owes that
 * month's report (an owner sees their own organisation's). Missing ones first.
 */
export function reportingStatus(user: CurrentUser, query: ReportingQuery, now = new Date()) {
  const today = chinaDay(now);
  const month = query.month ?? previousMonth(monthOf(today));
  const owing = catalogue
    .rows()
    .filter((row) => canSee(user, row) && !droppedStages.includes(row.stage) && (!query.orgId || row.orgId === query.orgId) && mustReport(row.schedule, row.stage, month))
    .map((row) => ({ row, status: reportStatus(row.schedule, month, today, rules) }));
  const counts = Object.fromEntries(statusOrder.map((status) => [status, owing.filter((p) => p.status === status).length])) as Record<ReportStatus, number>;
  const listed = sortByName(
    owing.filter((p) => !query.status || p.status === query.status),
    (p) => p.row.name,
    (a, b) => statusOrder.indexOf(a.status) - statusOrder.indexOf(b.status),
  );
  const { page, limit } = query;
  const items = listed.slice((page - 1) * limit, page * limit).map(({ row, status }) => {
    const figures = row.schedule.months[month];
    return {
      projectId: row.id,
      name: row.name,
      orgId: row.orgId,
      orgName: organisationName(row.orgId),
      status,
      reportedOn: figures?.firstReportedOn,
      revisions: figures?.revisions ?? 0,
    };
  });
  return { month, dueOn: reportDueOn(month, rules), counts, items, total: listed.length, page, limit };
}

/** A photo of the site, for a file already stored; only JPG and PNG are photos. */
export async function addSitePhoto(user: CurrentUser, projectId: string, file: StoredFile, now = new Date()): Promise<SitePhotoRecord> {
  const project = await loadProjectFor(user, projectId, 'report');
  if (file.kind !== 'jpg' && file.kind !== 'png') throw new Problem(415, messages.problemTitles[415]!, messages.photoNotImage);
  const photo = recordOfStoredFile(project._id, file, user, now);
  await photos().insertOne(photo);
  return photo;
}

/** A photo to send, for a user who may see its project. */
export async function findSitePhoto(user: CurrentUser, photoId: string): Promise<SitePhotoRecord> {
  const photo = isValidObjectId(photoId) ? await photos().findOne({ _id: new Types.ObjectId(photoId) }) : null;
  if (!photo) throw notFound(messages.photoNotVisible);
  await loadProjectFor(user, photo.projectId.toString());
  return photo;
}
