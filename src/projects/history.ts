import type { CurrentUser } from '../shared/current-user';
import type { HistoryEntry } from './project.model';

/** Who did what, stamped the same way for every change that goes into a project's history. */
export function historyEntry(user: CurrentUser, event: string, details: Omit<HistoryEntry, 'at' | 'actorId' | 'actorName' | 'role' | 'orgId' | 'event'> = {}, at = new Date()): HistoryEntry {
  return {
    at,
    actorId: user.id,
    actorName: user.displayName,
    role: user.role,
    orgId: user.orgId,
    event,
    ...details,
  };
}
