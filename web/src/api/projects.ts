import { api, query } from './http';
import type { HistoryEntry, Page, Project, ProjectDetail, QueueFile, WorkflowDescription } from './types';

export const projectUrl = (id: string) => `/api/projects/${encodeURIComponent(id)}`;

export const getProject = async (id: string) => (await api.get<{ project: ProjectDetail }>(projectUrl(id))).project;

export const getHistory = async (id: string) => (await api.get<{ items: HistoryEntry[] }>(`${projectUrl(id)}/history`)).items;

export function listProjects(filters: Record<string, string | number | undefined>) {
  return api.get<Page<Project>>(`/api/projects?${query(filters)}`);
}

/** The staff's 待办: reviews by due date, and projects with files waiting for review. */
export const workQueue = () => api.get<{ reviews: Project[]; files: QueueFile[] }>('/api/queue');

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
