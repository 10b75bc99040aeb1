import { activeUser, activeUsers, type DirectoryEntry } from '../accounts/accounts.service';
import type { Role } from '../../workflows/roles';
import type { ProjectRow } from '../projects/catalogue';

/**
 * Who hears of what. Reviews are the staff's: the member of staff the project
 * names as the one who handles it (issue 15, "Responsibility") while that
 * account is in use, else every member of staff who may sign in. A project's
 * own news goes to the users of its unit, and to nobody of another unit.
 */
export function reviewers(project?: Pick<ProjectRow, 'responsibility'>): DirectoryEntry[] {
  const named = namedUser(project?.responsibility?.staffId, 'staff');
  return named.length ? named : activeUsers('staff');
}

/** The account a project names (its leader, its member of staff), while it is in use with that role. */
export function namedUser(id: string | undefined, role: Role): DirectoryEntry[] {
  const user = id ? activeUser(id, role) : undefined;
  return user ? [user] : [];
}

export const usersOfUnit = (orgId: string): DirectoryEntry[] => activeUsers('owner', orgId);
