import type { z } from 'zod';
import { kindsFor, notificationKindLabels, notificationText, type NotificationContent, type NotificationView } from '../../workflows/notifications';
import { setOwnEmail, userEntry } from '../accounts/accounts.service';
import type { AuditSource } from '../audit/audit.service';
import { mailConfigured } from '../mail/mail-settings';
import type { CurrentUser } from '../shared/current-user';
import { invalid } from '../shared/problem';
import { canSee } from '../../workflows/access';
import { catalogue } from '../projects/catalogue';
import { emailKinds, inboxPage, markAllRead, markRead, setEmailKinds, unreadCount, type Shown } from './inbox';
import type { StoredNotification } from './notification.model';
import type { preferencesInput } from './notifications.schemas';

export function notificationView(notification: StoredNotification): NotificationView {
  const { title, text } = notificationText({ kind: notification.kind, subject: notification.subject } as NotificationContent);
  return { id: notification._id, kind: notification.kind, title, text, projectId: notification.subject.projectId, at: notification.at.toISOString(), read: notification.read };
}

/**
 * What a user may see of their notifications now: those about projects they may
 * see. A notification was only ever delivered to someone who could see its
 * project, but an owner moved to another unit keeps none of the old unit's news,
 * and a project removed (demo data) takes its news with it.
 */
const shownTo =
  (user: CurrentUser): Shown =>
  (notification) => {
    const project = catalogue.get(notification.subject.projectId);
    return project !== undefined && canSee(user, project);
  };

/** The user's notifications, newest first, and how many are unread; `limit` 0 gives the count alone (the header's badge). */
export async function listNotifications(user: CurrentUser, limit: number, before?: number) {
  if (limit === 0) return { items: [], unread: await unreadCount(user.id) };
  const page = await inboxPage(user.id, limit, before, shownTo(user));
  return { items: page.items.map(notificationView), unread: page.unread, nextBefore: page.before };
}

export const readNotification = (user: CurrentUser, id: string) => markRead(user.id, id, shownTo(user));

export const readAllNotifications = (user: CurrentUser) => markAllRead(user.id);

export async function preferences(user: CurrentUser) {
  const chosen = await emailKinds(user.id);
  return {
    email: userEntry(user.id)?.email,
    kinds: kindsFor(user.role).map((kind) => ({ kind, label: notificationKindLabels[kind], email: chosen.includes(kind) })),
    mailConfigured: mailConfigured(),
  };
}

export async function updatePreferences(user: CurrentUser, input: z.output<typeof preferencesInput>, source: AuditSource) {
  const offered = kindsFor(user.role);
  const foreign = input.emailKinds.filter((kind) => !offered.includes(kind));
  if (foreign.length) throw invalid([{ path: 'emailKinds', message: `${foreign.map((k) => notificationKindLabels[k]).join('、')}不会发给${user.displayName}` }]);
  if (input.email !== undefined) await setOwnEmail(user.id, input.email ?? undefined, source);
  await setEmailKinds(user.id, [...new Set(input.emailKinds)]);
  return preferences(user);
}
