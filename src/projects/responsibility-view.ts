import type { Responsibility } from '../../workflows/responsibility';
import { userEntry } from '../accounts/accounts.service';

/** The assignment as people read it: with the leader's and staff member's names. */
export function responsibilityView(responsibility: Responsibility | undefined) {
  if (!responsibility) return undefined;
  const { leaderId, staffId } = responsibility;
  return {
    ...responsibility,
    ...(leaderId ? { leaderName: userEntry(leaderId)?.displayName } : {}),
    ...(staffId ? { staffName: userEntry(staffId)?.displayName } : {}),
  };
}
