import { reviewStages } from '../labels';
import { api, query } from './http';
import type { HistoryEntry, Page, Project, ProjectDetail, ReviewDeadline, WorkflowDescription } from './types';

export const projectUrl = (id: string) => `/api/projects/${encodeURIComponent(id)}`;

export const getProject = async (id: string) => (await api.get<{ project: ProjectDetail }>(projectUrl(id))).project;

export const getHistory = async (id: string) => (await api.get<{ items: HistoryEntry[] }>(`${projectUrl(id)}/history`)).items;

export function listProjects(filters: Record<string, string | number | undefined>) {
  return api.get<Page<Project>>(`/api/projects?${query(filters)}`);
}

/**
 * Review deadlines for the projects under review. The list does not carry them,
 * so they come from each such project's own page; a list that does carry them
 * costs nothing more.
 */
export async function withDeadlines<T extends Project>(projects: T[]): Promise<(T & { review?: ReviewDeadline })[]> {
  return Promise.all(
    projects.map(async (p) => (reviewStages.includes(p.stage) && !p.review ? { ...p, review: (await getProject(p.id)).review } : p)),
  );
}

let workflows: Promise<WorkflowDescription[]> | undefined;

/** Each channel's stages, transitions and document types; the same for every page, so asked once. */
export function getWorkflows(): Promise<WorkflowDescription[]> {
  workflows ??= api.get<{ items: WorkflowDescription[] }>('/api/workflows').then(
    (r) => r.items,
    (error: unknown) => {
      workflows = undefined;
      throw error;
    },
  );
  return workflows;
}
