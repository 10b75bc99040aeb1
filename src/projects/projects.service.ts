import { Types } from 'mongoose';
import type { z } from 'zod';
import type { CurrentUser } from '../shared/current-user';
import { organisationExists, organisationName } from '../accounts/accounts.service';
import { assertMay, organisationForNewProject, type ProjectAction } from '../policy/policy';
import { fieldErrorsOf, invalid } from '../shared/problem';
import { currentMachineVersion } from '../../workflows/machines';
import { canSee } from '../../workflows/access';
import { historyEntry } from './history';
import { projectStatus } from './project-status';
import { catalogue, type ProjectRow } from './catalogue';
import type { ProjectDoc } from './project.model';
import { withProjectCode } from './project-codes';
import { commitProjectChange, expectVersion, findProject, insertProject } from './project.repository';
import { projectInput, type ProjectFields, type projectFilters, type projectListQuery, type projectPatch } from './project.schemas';
import { pageOfRows, rowView, sortRows } from './project-list';
import { currentRating } from './row-figures';
import { monthOf, yearOfMonth } from '../../workflows/schedule';
import { chinaDay } from '../../workflows/working-days';
import { messages } from '../../workflows/messages';
import { normaliseProjectCode } from '../../workflows/project-code';
import { responsibilityView } from './responsibility-view';
import { personId } from '../shared/schemas';

export function toProjectView(project: ProjectDoc) {
  const { _id, orgId, documents: _documents, lastEntry: _lastEntry, trail: _trail, createdAt, updatedAt, stageEnteredAt, responsibility, ...rest } = project;
  return {
    ...rest,
    responsibility: responsibilityView(responsibility),
    id: _id.toString(),
    orgId: orgId.toString(),
    orgName: organisationName(orgId.toString()),
    stageEnteredAt: stageEnteredAt.toISOString(),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

/** Loads a project the user may act on in this way: 404 when it is not theirs to see, 403 when not theirs to do. */
export async function loadProjectFor(user: CurrentUser, id: string, action: ProjectAction = 'read'): Promise<ProjectDoc> {
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
  return { ...toProjectView(project), ...(await projectStatus(project, user)) };
}

export function createProject(user: CurrentUser, input: ProjectFields, now = new Date()): Promise<ProjectDoc> {
  assertMay(user, 'create');
  const orgId = organisationForNewProject(user, input.orgId);
  if (!orgId || !organisationExists(orgId)) {
    throw invalid([{ path: 'orgId', message: orgId ? messages.projectOrganisationUnknown : messages.projectOrganisationMissing }]);
  }
  const { orgId: _requested, ...fields } = input;
  const _id = new Types.ObjectId();
  // The code is claimed before the project exists (project-codes.ts).
  return withProjectCode(fields.projectCode, _id, user, async () => {
    const project = await insertProject(
      {
        _id,
        ...fields,
        performanceTargets: fields.performanceTargets ?? [],
        orgId: new Types.ObjectId(orgId),
        channel: input.channel,
        stage: 'draft',
        machineVersion: currentMachineVersion(input.channel),
        stageEnteredAt: now,
        documents: [],
        dossier: {},
        schedule: { plans: {}, months: {} },
        createdAt: now,
        updatedAt: now,
      },
      historyEntry(user, 'CREATE', { to: 'draft' }, now),
    );
    return { result: project, previous: undefined };
  });
}

type ProjectFilters = z.output<typeof projectFilters>;

/** The rows to look through: a person's own projects come from the catalogue's index of who answers for what, not from a pass over every project. */
function candidates(user: CurrentUser, filters: ProjectFilters): readonly ProjectRow[] {
  const leaderId = personId(user, filters.leaderId);
  const staffId = personId(user, filters.staffId);
  return leaderId ? catalogue.responsibleFor('leader', leaderId) : staffId ? catalogue.responsibleFor('staff', staffId) : catalogue.rows();
}

/** Whether a catalogue row is one the user may see and the filters ask for. */
function matcher(user: CurrentUser, filters: ProjectFilters, now: Date) {
  const { year, q, channel, stage, orgId, field, rating, keyLevel, hasLeader, ids } = filters;
  const text = q?.toLowerCase();
  // A code is found by any part of it, typed as people type it (full-width digits, other dashes).
  const codeText = q && normaliseProjectCode(q);
  const staffId = personId(user, filters.staffId);
  const picked = ids && new Set(ids);
  // A key-project level is the plan's for a year: the year asked for, else this one.
  const planYear = String(year ?? yearOfMonth(monthOf(chinaDay(now))));
  return (row: ProjectRow) =>
    canSee(user, row) &&
    (!staffId || row.responsibility?.staffId === staffId) &&
    (hasLeader === undefined || (row.responsibility?.leaderId !== undefined) === hasLeader) &&
    (!channel || row.channel === channel) &&
    (!stage || row.stage === stage) &&
    (!orgId || row.orgId === orgId) &&
    (!field || row.field === field) &&
    (!year || (row.startYear <= year && row.endYear >= year)) &&
    (!text || row.name.toLowerCase().includes(text) || (!!codeText && !!row.projectCode?.includes(codeText))) &&
    (!picked || picked.has(row.id)) &&
    (!keyLevel || row.schedule.plans[planYear]?.keyLevel === keyLevel) &&
    (!rating || currentRating(row, now)?.rating === rating);
}

/** Every project the user may see that the filters ask for, in the order asked for (newest change first unless told). */
export function matchingProjects(user: CurrentUser, filters: ProjectFilters, now = new Date()): readonly ProjectRow[] {
  const rows = candidates(user, filters).filter(matcher(user, filters, now));
  return filters.sort ? sortRows(rows, filters.sort, filters.order, now) : rows;
}

/** One page of what the user may see, filtered and sorted, from the catalogue. */
export function listProjects(user: CurrentUser, query: z.output<typeof projectListQuery>, now = new Date()) {
  const { page, limit } = query;
  // Without a sort the catalogue's own order serves, and only the page is gathered.
  if (!query.sort) return pageOfRows(candidates(user, query), matcher(user, query, now), page, limit, (row) => rowView(row, now));
  return pageOfRows(matchingProjects(user, query, now), () => true, page, limit, (row) => rowView(row, now));
}

function ownFields(project: ProjectDoc): ProjectFields {
  const { channel, name, projectCode, field, location, description, totalInvestment, requestedAmount, funding, startYear, endYear, applicationYear, financing, performanceTargets } = project;
  return { channel, name, projectCode, field, location, description, totalInvestment, requestedAmount, funding, startYear, endYear, applicationYear, financing, performanceTargets };
}

/** The merged project must still satisfy every cross-field rule. */
function checkMerged(merged: ProjectFields): void {
  const result = projectInput.safeParse(merged);
  if (!result.success) throw invalid(fieldErrorsOf(result.error.issues));
}

/** Each changed field with its value before and after, for the history. */
function changesOf(before: ProjectFields, changes: Partial<ProjectFields>) {
  return Object.entries(changes)
    .filter(([key, value]) => JSON.stringify(before[key as keyof ProjectFields]) !== JSON.stringify(value))
    .map(([field, value]) => ({ field, from: before[field as keyof ProjectFields], to: value }));
}

export async function updateProject(user: CurrentUser, id: string, patch: z.output<typeof projectPatch>, now = new Date()): Promise<ProjectDoc> {
  const { expectedVersion, ...changes } = patch;
  // Refused before any code is claimed: a code says nothing to those who may not edit the project (checked again in the commit).
  await loadProjectFor(user, id, 'edit');
  // A new code is claimed before the change, the one it replaces released after (project-codes.ts).
  return withProjectCode(changes.projectCode, new Types.ObjectId(id), user, async () => {
    let previous: string | undefined;
    const project = await commitProjectChange(id, (current) => {
      assertMayOnProject(user, 'edit', current);
      expectVersion(current, expectedVersion);
      previous = current.projectCode;
      const before = ownFields(current);
      checkMerged({ ...before, ...changes });
      const changed = changesOf(before, changes);
      return {
        set: changes,
        entry: historyEntry(user, 'EDIT', { data: { fields: Object.keys(changes), changes: changed } }, now),
      };
    });
    return { result: project, previous };
  });
}
