/**
 * Monthly scheduling (调度) through the API: year plans, monthly reports and
 * site photos, who has reported for a month, the scheduling figures with their
 * drill-downs, and imports of plans from Excel (docs/domain.md, "After the
 * money" and "Imports"). Shapes as far as the screens read them (/api/docs).
 */
import type { Rating } from '../../../workflows/rating';
import type { KeyLevel, ReportStatus, ScheduleState, YearPlan } from '../../../workflows/schedule';
import type { Channel, Field } from '../labels';
import { api, postForm, query, request } from './http';
import { projectUrl } from './projects';
import type { Page, ProjectDetail } from './types';

/** A project's reports of its year missing or late (list rows and the project page carry these). */
export interface ReportingFlags {
  missing: string[];
  late: string[];
}

/** On the project page: also the report being collected now (last month's), when the project owes it. */
export interface Reporting extends ReportingFlags {
  current?: { month: string; dueOn: string; status: ReportStatus };
}

/** What the project page carries of scheduling besides the project's own fields. */
export interface ScheduleFields {
  reporting: Reporting;
  schedule: Omit<ScheduleState, 'completedOn'>;
}

/** A project as its page shows it; older answers without scheduling fields still read. */
export type ScheduledProject = ProjectDetail & Partial<ScheduleFields>;

export interface SitePhoto {
  id: string;
  url: string;
  fileName?: string;
}

/** One revision of a month's report, with the running totals of its month and whether it came by its due date. */
export interface MonthlyReport {
  month: string;
  revision: number;
  completedInvestment: number;
  progressPercent: number;
  progressNote: string;
  problems?: string;
  startedOn?: string;
  inStatistics?: boolean;
  reason?: string;
  reportedAt: string;
  reportedBy: { id: string; name: string; role: string };
  photos: SitePhoto[];
  dueOn: string;
  late: boolean;
  newest: boolean;
  completedThisYear: number;
  completedSinceStart: number;
}

export interface MonthlyReportBody {
  month: string;
  completedInvestment: number;
  progressPercent: number;
  progressNote: string;
  problems?: string;
  startedOn?: string;
  inStatistics?: boolean;
  photoIds?: string[];
  reason?: string;
}

const reportsUrl = (projectId: string) => `${projectUrl(projectId)}/monthly-reports`;

/** A project's reports of a year, every revision, month by month. */
export const monthlyReports = async (projectId: string, year: number) =>
  (await api.get<{ items: MonthlyReport[] }>(`${reportsUrl(projectId)}?${query({ year })}`)).items;

export const sendMonthlyReport = async (projectId: string, body: MonthlyReportBody) =>
  (await api.post<{ report: MonthlyReport }>(reportsUrl(projectId), body)).report;

/** Where the upload component sends a site photo (multipart `file`, JPG or PNG). */
export const sitePhotoUploadUrl = (projectId: string) => `${projectUrl(projectId)}/site-photos`;

export const setYearPlan = async (projectId: string, year: number, plan: YearPlan) =>
  (await request<{ project: ScheduledProject }>('PUT', `${projectUrl(projectId)}/plans/${year}`, plan)).project;

// ---------------------------------------------------------------- who has reported

export interface ReportingLine {
  projectId: string;
  name: string;
  orgId: string;
  orgName?: string;
  status: ReportStatus;
  reportedOn?: string;
  revisions: number;
}

export interface ReportingPage extends Page<ReportingLine> {
  month: string;
  dueOn: string;
  counts: Record<ReportStatus, number>;
}

export interface ReportingQuery {
  month?: string;
  orgId?: string;
  status?: ReportStatus;
  page?: number;
  limit?: number;
}

/** Every project that owes a month's report (the API's default: last month), missing ones first. */
export const reportingStatus = (filters: ReportingQuery) => api.get<ReportingPage>(`/api/monthly-reports?${query({ ...filters })}`);

// ---------------------------------------------------------------- the figures

export interface ScheduleFilters {
  month?: string;
  keyLevel?: KeyLevel;
  orgId?: string;
  field?: Field;
}

export interface ScheduleTotals {
  projects: number;
  newStarts: number;
  plannedToStart: number;
  started: number;
  startRate?: number;
  plannedInvestment: number;
  plannedToDate: number;
  completedInvestment: number;
  completionRate?: number;
  behindPlan: number;
}

export interface HalfYearTotals {
  projects: number;
  passedProjects: number;
  plannedInvestment: number;
  completedByHalfYear: number;
  completionRate?: number;
  passed: boolean;
}

/** A project in a figure's list. */
export interface ScheduleLine {
  id: string;
  name: string;
  orgName?: string;
  channel: Channel;
  keyLevel?: KeyLevel;
  plannedInvestment?: number;
  plannedStart?: string;
  startedOn?: string;
  plannedToDate: number;
  completedInvestment: number;
  completionRate?: number;
  rating?: Rating;
  reason: string;
  missingReports: string[];
  lateReports: string[];
}

export interface RatedLine {
  id: string;
  name: string;
  orgName?: string;
  rating?: Rating;
  ratingLabel?: string;
  reason: string;
  missingReports: string[];
  lateReports: string[];
}

export interface ScheduleStats extends ScheduleTotals {
  month: string;
  asOf: string;
  /** The bulletin's opening paragraph, written from these figures. */
  summary?: string;
  halfYear?: HalfYearTotals & {
    month: string;
    units: number;
    passedUnits: number;
    failingUnits: (HalfYearTotals & { orgId: string; name: string })[];
  };
  levels: (ScheduleTotals & { keyLevel: KeyLevel | null; label: string })[];
  months: { month: string; plannedToDate: number; completedInvestment: number }[];
  units: (ScheduleTotals & { orgId: string; name: string; halfYear?: HalfYearTotals; flag?: 'red' | 'black' })[];
  flags: { red: string[]; black: string[] };
  ratings: { month: string; counts: Record<Rating, number>; unrated: number; items: RatedLine[] };
  notStarted: { count: number; items: ScheduleLine[] };
  missingReports: { count: number; items: ScheduleLine[] };
}

export const scheduleStats = (filters: ScheduleFilters) => api.get<ScheduleStats>(`/api/stats/schedule?${query({ ...filters })}`);

/** The monthly scheduling bulletin (月度调度通报) for the same filters, as PDF or Excel. */
export const scheduleBulletinUrl = (format: 'pdf' | 'xlsx', filters: ScheduleFilters) => `/api/exports/schedule.${format}?${query({ ...filters })}`;

/** The figures that drill down to their projects. */
export type ScheduleFigure =
  | 'planned'
  | 'plannedToStart'
  | 'started'
  | 'notStarted'
  | 'behindPlan'
  | 'halfYearFailing'
  | 'missingReports'
  | 'red'
  | 'yellow'
  | 'green'
  | 'unrated';

export const scheduleProjects = (filters: ScheduleFilters & { figure: ScheduleFigure; page: number; limit: number }) =>
  api.get<Page<ScheduleLine> & { month: string; figure: ScheduleFigure }>(`/api/stats/schedule/projects?${query({ ...filters })}`);

// ---------------------------------------------------------------- imports

/** A checked row of a year-plan import. */
export interface PlanImportValue {
  projectId: string;
  name: string;
  year: number;
  plan: YearPlan;
}

/** A checked row of a project import: a project to create, or one already in the system (left as it is). */
export interface ProjectImportValue {
  id: string;
  projectCode: string;
  name: string;
  existing?: true;
  channel?: 'central_budget' | 'special_bond';
  stage?: string;
  facts?: { totalInvestment: number; requestedAmount: number };
  record?: { approval?: { amount: number }; releases: { amount: number }[]; quotas: { amount: number }[]; issuances: { amount: number }[] };
}

export interface ImportCheck<V = PlanImportValue> {
  id: string;
  kind: 'plans' | 'projects';
  fileName: string;
  state: 'checked' | 'committed' | 'applied';
  rows: { row: number; value: V }[];
  errors: { row: number; column: string; message: string }[];
  /** The workbook is not laid out like the template: its columns are to be mapped onto it first. */
  needsMapping?: boolean;
  createdAt: string;
  committedAt?: string;
}

/** Where the upload component sends a sheet (multipart `kind` and `file`); the answer is `{import}`, nothing saved. */
export const IMPORT_UPLOAD_URL = '/api/imports';

export const planTemplateUrl = (year: number) => `/api/imports/template.xlsx?${query({ kind: 'plans', year })}`;

export const projectTemplateUrl = () => `/api/imports/template.xlsx?${query({ kind: 'projects' })}`;

export const commitImport = async <V = PlanImportValue>(id: string) => (await api.post<{ import: ImportCheck<V> }>(`/api/imports/${encodeURIComponent(id)}/commit`)).import;

export type ImportKindName = ImportCheck['kind'];

/** How a ledger's columns fill one template sheet: the ledger's sheet (or none), its header row, and per template column key the ledger's header. */
export interface SheetMapping {
  sheet: string | null;
  headerRow: number;
  columns: Record<string, string>;
}
export type ColumnMapping = Record<string, SheetMapping>;

/** The template's sheets and columns beside the ledger's, with the mapping the service suggests (README, "Imports"). */
export interface ImportColumns {
  template: { sheet: string; required: boolean; columns: { key: string; header: string; required: boolean }[] }[];
  sheets: { name: string; headerRow: number; headers: { header: string; sample?: string }[] }[];
  suggested: ColumnMapping;
  remembered: boolean;
}

function importForm(kind: ImportKindName, file: File, fields: Record<string, unknown>) {
  const form = new FormData();
  form.append('kind', kind);
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, JSON.stringify(value));
  form.append('file', file, file.name);
  return form;
}

/** The ledger's sheets and headers and a suggested mapping; `headerRows` overrides the header rows found, by sheet name. */
export const importColumns = (kind: ImportKindName, file: File, headerRows?: Record<string, number>) =>
  postForm<ImportColumns>('/api/imports/columns', importForm(kind, file, { headerRows }));

/** Checks a ledger through a mapping, as the upload checks a filled template: nothing saved. */
export const checkMappedImport = async <V>(kind: ImportKindName, file: File, mapping: ColumnMapping) =>
  (await postForm<{ import: ImportCheck<V> }>(IMPORT_UPLOAD_URL, importForm(kind, file, { mapping }))).import;
