import type { ProblemCategory, ProblemEvent, ProblemEventRequest, ProblemLevel, ProblemState } from '../../../workflows/problems';
import type { Responsibility } from '../../../workflows/responsibility';
import { api, query, request } from './http';
import type { Page, Project } from './types';

/** A problem (问题清单) as the API lists it. */
export interface Problem {
  id: string;
  projectId: string;
  projectName: string;
  orgId: string;
  category: ProblemCategory;
  description: string;
  level: ProblemLevel;
  state: ProblemState;
  overdue: boolean;
  version: number;
  raisedAt: string;
  responsibleUnit?: string;
  dueDate?: string;
  resolution?: string;
  lastEvent: ProblemEvent;
  /** The files it names (their details on the problem's own page). */
  attachments?: { id: string; url: string }[];
}

/** A file that shows a problem, uploaded to its project and then named when the problem is raised. */
export interface ProblemAttachment {
  id: string;
  fileName: string;
  size: number;
  mime: string;
  url: string;
}

/** A problem with its events and what this user may send to it now. */
export interface ProblemDetail extends Problem {
  attachments: ProblemAttachment[];
  events: ProblemEvent[];
  availableEvents: ProblemEventRequest['type'][];
}

export interface ProblemSummary {
  projects: number;
  problems: number;
  resolved: number;
  open: number;
  overdue: number;
  text: string;
}

export interface NewProblem {
  category: ProblemCategory | '';
  description: string;
  level: ProblemLevel;
  responsibleUnit?: string;
  dueDate?: string;
  /** Ids of attachments already uploaded to the project. */
  attachments?: string[];
}

const projectProblemsUrl = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/problems`;

export const problemAttachmentUploadUrl = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/problem-attachments`;

export const projectProblems = (projectId: string) => api.get<{ items: Problem[]; summary: ProblemSummary }>(projectProblemsUrl(projectId));

export const raiseProblem = async (projectId: string, body: NewProblem) => (await api.post<{ problem: ProblemDetail }>(projectProblemsUrl(projectId), body)).problem;

export const getProblem = async (id: string) => (await api.get<{ problem: ProblemDetail }>(`/api/problems/${encodeURIComponent(id)}`)).problem;

export const sendProblemEvent = async (id: string, body: ProblemEventRequest & { expectedVersion?: number }) =>
  (await api.post<{ problem: ProblemDetail }>(`/api/problems/${encodeURIComponent(id)}/events`, body)).problem;

export type ProblemFilters = Record<string, string | number | undefined>;

export const listProblems = (filters: ProblemFilters) => api.get<Page<Problem> & { summary: ProblemSummary }>(`/api/problems?${query(filters)}`);

export const problemLedgerUrl = (filters: ProblemFilters) => `/api/exports/problems.xlsx?${query(filters)}`;

/** Who answers for a project, with the leader's and staff member's names (`responsibility` on a project). */
export interface ResponsibilityView extends Responsibility {
  leaderName?: string;
  staffName?: string;
}

export type ProjectWithResponsibility = Project & { responsibility?: ResponsibilityView };

export type ResponsibilityChange = { [K in keyof Responsibility]?: Responsibility[K] | null };

export const setResponsibility = async (projectId: string, body: ResponsibilityChange & { reason?: string; expectedVersion?: number }) =>
  request<{ project: ProjectWithResponsibility }>('PUT', `/api/projects/${encodeURIComponent(projectId)}/responsibility`, body);

export interface Person {
  id: string;
  displayName: string;
}

/** The leaders or staff who may be named on a project (包联领导、经办人). */
export const listPeople = async (role?: 'leader' | 'staff') => (await api.get<{ items: Person[] }>(`/api/people?${query({ role })}`)).items;

/** 首问负责制: the member of staff signed in takes the project's reviews (refused with 409 when someone else handles them). */
export const takeReviews = async (projectId: string) =>
  (await api.post<{ project: ProjectWithResponsibility }>(`/api/projects/${encodeURIComponent(projectId)}/responsibility/take`)).project;

export interface BulkResult {
  items: { id: string; name: string; version: number; responsibility?: ResponsibilityView }[];
  failed: { id: string; message: string }[];
}

/** The same change of responsibility for many projects (each one a history entry of its own). */
export const assignInBulk = (projectIds: string[], change: ResponsibilityChange & { reason?: string }) =>
  api.post<BulkResult>('/api/projects/responsibility', { ...change, projectIds });
