import type { NotificationContent, NotificationKind, SubjectOf } from '../../workflows/notifications';
import { catalogue } from '../projects/catalogue';
import { deliver } from './inbox';

/**
 * Notifies users of something that is not a project history entry the
 * follower reads (a problem assigned, a leader named for a project: issue 15).
 * Call it once the change is committed, with a `source` naming that change
 * uniquely (e.g. `problem:<id>:<event number>`): called again with the same
 * source, it delivers nothing twice, so a caller may simply retry. A change
 * that is a history entry is better derived by the follower (derive.ts), which
 * also catches up after a crash. Owners never receive news of another
 * organisation's project, whoever is named.
 */
export async function notify<K extends NotificationKind>(recipients: readonly string[], kind: K, subject: SubjectOf<K>, origin: { source: string; at?: Date }): Promise<void> {
  const project = catalogue.get(subject.projectId);
  if (!project) throw new Error(`notify: no project ${subject.projectId}`);
  const content = { kind, subject } as NotificationContent;
  const at = origin.at ?? new Date();
  await deliver(recipients.map((userId) => ({ source: origin.source, userId, content, orgId: project.orgId, at })), true);
}
