import type { NotificationContent } from '../../workflows/notifications';
import type { DirectoryEntry } from '../accounts/accounts.service';
import { notificationId } from './notification.model';

/** A notification to deliver to one user, before it is numbered and stored. */
export interface Notice {
  /** What it tells of, uniquely: with the user, it makes the notification's id. */
  source: string;
  userId: string;
  content: NotificationContent;
  /** The organisation of the project it is about: an owner of another one never gets it. */
  orgId: string;
  at: Date;
}

export const idOf = (notice: Notice) => notificationId(notice.source, notice.userId);

/** The same notification for each of these users, but never for whoever caused it. */
export function noticesFor(users: readonly DirectoryEntry[], notice: Omit<Notice, 'userId'>, actorId?: string): Notice[] {
  return users.filter((user) => user.id !== actorId).map((user) => ({ ...notice, userId: user.id }));
}
