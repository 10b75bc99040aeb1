import type { CurrentUser, Role } from '../accounts/current-user';
import { finalStages, ownerEditableStages, ownerUploadStages, type Stage } from '../../workflows/stages';
import { forbidden, notFound } from '../shared/problem';

/**
 * The one place that answers "may this user do this to this project".
 * Routes declare the action; the workflow decides which events a role may send.
 */
export type ProjectAction = 'read' | 'create' | 'edit' | 'act' | 'upload' | 'review';

export interface ProjectScope {
  orgId: string;
  stage: Stage;
}

const allowedRoles: Record<ProjectAction, readonly Role[]> = {
  read: ['owner', 'staff', 'leader', 'admin'],
  create: ['owner', 'staff'],
  edit: ['owner', 'staff'],
  act: ['owner', 'staff'],
  upload: ['owner', 'staff'],
  review: ['staff'],
};

/** Where an action is limited to some stages, per role; elsewhere it is open in every stage. */
const openStages: Partial<Record<ProjectAction, Partial<Record<Role, (stage: Stage) => boolean>>>> = {
  edit: {
    owner: (stage) => ownerEditableStages.includes(stage),
    staff: (stage) => !finalStages.includes(stage),
  },
  upload: {
    owner: (stage) => ownerUploadStages.includes(stage),
    staff: (stage) => !finalStages.includes(stage),
  },
};

/** The query that limits any project listing to what the user may see. */
export function visibleProjectsFilter(user: CurrentUser): { orgId?: string } {
  return user.role === 'owner' ? { orgId: user.orgId } : {};
}

export function canSee(user: CurrentUser, project: ProjectScope): boolean {
  return user.role !== 'owner' || project.orgId === user.orgId;
}

export function may(user: CurrentUser, action: ProjectAction, project?: ProjectScope): boolean {
  if (!allowedRoles[action].includes(user.role)) return false;
  if (!project) return true;
  if (!canSee(user, project)) return false;
  const stageOpen = openStages[action]?.[user.role];
  return !stageOpen || stageOpen(project.stage);
}

/**
 * Throws 404 for a project the user may not see (ids leak nothing), 403 for one
 * they may see but not act on in this way.
 */
export function assertMay(user: CurrentUser, action: ProjectAction, project?: ProjectScope): void {
  if (project && !canSee(user, project)) throw notFound();
  if (!may(user, action, project)) throw forbidden();
}

/** Owners create only in their own organisation; staff must name one. */
export function organisationForNewProject(user: CurrentUser, requestedOrgId: string | undefined): string | undefined {
  return user.role === 'owner' ? user.orgId : requestedOrgId;
}
