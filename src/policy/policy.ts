import type { CurrentUser } from '../shared/current-user';
import { canSee, may, refusedByLock, type ProjectAction, type ProjectScope } from '../../workflows/access';
import { messages } from '../../workflows/messages';
import { forbidden, notFound } from '../shared/problem';

export type { ProjectAction, ProjectScope };

/**
 * The domain's access rules (workflows/access.ts) as HTTP answers: 404 for a
 * project the user may not see (ids leak nothing), 403 for one they may see
 * but not act on in this way.
 */
export function assertMay(user: CurrentUser, action: ProjectAction, project?: ProjectScope): void {
  if (project && !canSee(user, project)) throw notFound(messages.notVisible);
  if (project && refusedByLock(user, action, project)) throw forbidden(messages.projectLocked);
  if (!may(user, action, project)) throw forbidden(messages.notAllowed);
}

/** Owners create only in their own organisation; staff must name one. */
export function organisationForNewProject(user: CurrentUser, requestedOrgId: string | undefined): string | undefined {
  return user.role === 'owner' ? user.orgId : requestedOrgId;
}
