import type { z } from 'zod';
import type { CurrentUser } from '../accounts/current-user';
import { organisationExists, organisationNames } from '../accounts/accounts.service';
import { assertMay, organisationForNewProject, visibleProjectsFilter, type ProjectAction } from '../policy/policy';
import { fieldErrorsOf, invalid } from '../shared/problem';
import { currentMachineVersion } from '../../workflows';
import { historyEntry } from './history';
import { reviewDeadline, workflowStatus } from '../workflow/status';
import { dossierChecklist, yiJianSanZheng } from '../dossier/checklist';
import { Project, type ProjectDoc } from './project.model';
import { commitProjectChange, findProject } from './project.repository';
import { projectInput, type ProjectFields, type projectListQuery, type projectPatch } from './project.schemas';

export function toProjectView(project: ProjectDoc, orgName?: string) {
  const { _id, orgId, history: _history, documents: _documents, __v: _v, createdAt, updatedAt, stageEnteredAt, ...rest } = project as ProjectDoc & { __v?: number };
  return {
    ...rest,
    id: _id.toString(),
    orgId: orgId.toString(),
    orgName,
    stageEnteredAt: stageEnteredAt.toISOString(),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

export type ProjectView = ReturnType<typeof toProjectView>;

async function withOrgNames(projects: ProjectDoc[]): Promise<ProjectView[]> {
  const names = await organisationNames(projects.map((p) => p.orgId.toString()));
  return projects.map((p) => toProjectView(p, names.get(p.orgId.toString())));
}

/** A list row carries its review deadline, so a work queue needs no call per project. */
async function listRows(projects: ProjectDoc[]) {
  const views = await withOrgNames(projects);
  return views.map((view, i) => {
    const review = reviewDeadline(projects[i]!);
    return { ...view, review, dueDate: review?.dueDate, overdue: review?.overdue ?? false };
  });
}

/** Loads a project the user may act on in this way: 404 when it is not theirs to see, 403 when not theirs to do. */
export async function loadProjectFor(user: CurrentUser, id: string, action: ProjectAction = 'read') {
  const project = await findProject(id);
  assertMayOnProject(user, action, project);
  return project;
}

/** The policy check for a project document already loaded (e.g. inside a commit). */
export function assertMayOnProject(user: CurrentUser, action: ProjectAction, project: Pick<ProjectDoc, 'orgId' | 'stage'>): void {
  assertMay(user, action, { orgId: project.orgId.toString(), stage: project.stage });
}

/** The project as this user sees it on its own page: what they can do, the dossier, readiness and deadlines. */
export async function projectDetail(user: CurrentUser, project: ProjectDoc) {
  const [view] = await withOrgNames([project]);
  const documents = project.documents ?? [];
  return {
    ...view!,
    ...workflowStatus(project, user),
    dossier: dossierChecklist(project.channel, documents),
    readiness: { yiJianSanZheng: yiJianSanZheng(documents) },
  };
}

export async function createProject(user: CurrentUser, input: ProjectFields, now = new Date()): Promise<ProjectDoc> {
  assertMay(user, 'create');
  const orgId = organisationForNewProject(user, input.orgId);
  if (!orgId || !(await organisationExists(orgId))) {
    throw invalid([{ path: 'orgId', message: orgId ? '项目单位不存在' : '请指定项目单位' }]);
  }
  const created = await Project.create({
    ...input,
    orgId,
    stage: 'draft',
    version: 1,
    machineVersion: currentMachineVersion(input.channel),
    stageEnteredAt: now,
    createdAt: now,
    updatedAt: now,
    history: [historyEntry(user, 'CREATE', { to: 'draft' }, now)],
  });
  return created.toObject();
}

export async function listProjects(user: CurrentUser, query: z.output<typeof projectListQuery>) {
  const { page, limit, year, q, ...exact } = query;
  const filter: Record<string, unknown> = { ...exact, ...visibleProjectsFilter(user) };
  if (year) Object.assign(filter, { startYear: { $lte: year }, endYear: { $gte: year } });
  if (q) filter.name = { $regex: q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
  const [projects, total] = await Promise.all([
    Project.find(filter, { history: 0, documents: 0 }).sort({ updatedAt: -1, _id: 1 }).skip((page - 1) * limit).limit(limit).lean<ProjectDoc[]>(),
    Project.countDocuments(filter),
  ]);
  return { items: await listRows(projects), total, page, limit };
}

function ownFields(project: ProjectDoc): ProjectFields {
  const { channel, name, field, location, description, totalInvestment, requestedAmount, funding, startYear, endYear, financing, performanceTargets } = project;
  return { channel, name, field, location, description, totalInvestment, requestedAmount, funding, startYear, endYear, financing, performanceTargets };
}

/** The merged project must still satisfy every cross-field rule. */
function checkMerged(merged: ProjectFields): void {
  const result = projectInput.safeParse(merged);
  if (!result.success) throw invalid(fieldErrorsOf(result.error.issues));
}

export async function updateProject(user: CurrentUser, id: string, patch: z.output<typeof projectPatch>): Promise<ProjectDoc> {
  const project = await loadProjectFor(user, id, 'edit');
  const { expectedVersion, ...changes } = patch;
  checkMerged({ ...ownFields(project), ...changes });
  return commitProjectChange(id, expectedVersion, {
    set: changes,
    entry: historyEntry(user, 'EDIT', { data: { fields: Object.keys(changes) } }),
  });
}
