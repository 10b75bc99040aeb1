import { activeUsers, type DirectoryEntry } from '../accounts/accounts.service';

/**
 * Who hears of what. Reviews are the staff's: every member of staff who may
 * sign in, until projects name the member of staff responsible for them
 * (issue 15, "Responsibility"), who then takes their place here. A project's
 * own news goes to the users of its unit, and to nobody of another unit.
 */
export const reviewers = (): DirectoryEntry[] => activeUsers('staff');

export const usersOfUnit = (orgId: string): DirectoryEntry[] => activeUsers('owner', orgId);
