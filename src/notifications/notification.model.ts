import mongoose, { type Types } from 'mongoose';
import type { NotificationContent, NotificationKind } from '../../workflows/notifications';

/**
 * How notifications are kept (README, "Notifications and e-mail"). The
 * embedded database finds a document quickly only by its `_id`, so every read
 * here is by key, and nothing reads a collection whole:
 *
 * - `notifications`: one per notification and recipient, under the id
 *   "<source>~<user id>", where the source names what it tells of (a history
 *   entry's key, or "<kind>:<project>:<due date>" for a deadline). Deriving the
 *   same notification again finds it there: nothing is sent twice.
 * - `notification_slots`: a user's notifications in the order they came,
 *   "<user id>:<number>" → the notification, so a page of the centre is a few
 *   look-ups by key. A slot counts only when its notification carries the
 *   same number; a slot left by a crash (written, its notification not) is
 *   passed over.
 * - `notification_inboxes`: per user, the numbers used so far, how far "all
 *   read" reaches, the unread count, and which kinds also go by e-mail.
 * - `notification_cursors`: per project, the last version of its history the
 *   follower has turned into notifications.
 */
export interface StoredNotification {
  _id: string;
  userId: string;
  /** Its place among the user's notifications: 1, 2, 3… */
  seq: number;
  kind: NotificationKind;
  subject: NotificationContent['subject'];
  /** The project it is about: removing a project's records (demo data) removes its notifications too. */
  projectId: Types.ObjectId;
  at: Date;
  read: boolean;
}

export interface Slot {
  _id: string;
  notificationId: string;
}

export interface Inbox {
  _id: string;
  /** The highest number given out (some may be unused after a crash). */
  next: number;
  /** Every notification numbered up to here is read ("全部已读"). */
  readThrough: number;
  /** Every notification numbered up to here is in `unread` already, when it is unread. */
  countedThrough: number;
  unread: number;
  emailKinds: NotificationKind[];
}

export interface Cursor {
  _id: string;
  projectId?: Types.ObjectId;
  version: number;
}

export const notificationId = (source: string, userId: string) => `${source}~${userId}`;
export const slotId = (userId: string, seq: number) => `${userId}:${String(seq).padStart(10, '0')}`;

/** The cursor that says the follower has been set up on this database (see follower.ts). */
export const FOLLOWER_STARTED = 'started';

export const notificationsCollection = () => mongoose.connection.collection<StoredNotification>('notifications');
export const slotsCollection = () => mongoose.connection.collection<Slot>('notification_slots');
export const inboxesCollection = () => mongoose.connection.collection<Inbox>('notification_inboxes');
export const cursorsCollection = () => mongoose.connection.collection<Cursor>('notification_cursors');
