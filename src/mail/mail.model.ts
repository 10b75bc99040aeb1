import mongoose, { type Types } from 'mongoose';
import { monthOf } from '../../workflows/schedule';
import { chinaDay } from '../../workflows/working-days';

/**
 * The SMTP server notifications are sent through, as the administrator set it
 * (README, "Notifications and e-mail"). The password is kept as given, since
 * the server must present it, and never leaves the service through the API.
 */
export interface MailSettings {
  host: string;
  port: number;
  /** TLS from the first byte (usually port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  /** The sender, `地址` or `名称 <地址>`. */
  from: string;
}

export interface StoredMailSettings extends MailSettings {
  _id: 'mail';
  updatedAt: Date;
}

export const SETTINGS_COLLECTION = 'settings';
export const settingsCollection = () => mongoose.connection.collection<StoredMailSettings>(SETTINGS_COLLECTION);

export type OutboxState = 'pending' | 'sent' | 'failed';

/**
 * One e-mail to send, under the id of the notification it carries: queueing
 * the same notification again (a follower replaying after a crash) finds it
 * there and sends nothing twice.
 */
export interface OutboxMail {
  _id: string;
  to: string;
  subject: string;
  text: string;
  userId: string;
  /** The project it is about: removing a project's records (demo data) removes its mail too. */
  projectId?: Types.ObjectId;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: Date;
  lastError?: string;
  createdAt: Date;
  sentAt?: Date;
}

/**
 * Mail is kept in one collection per month of the notification it carries, like
 * the audit log: the sender reads only the recent months at start, so its cost
 * does not grow with all the mail ever sent, and the month is fixed by the
 * notification, so a replay finds the mail where it was queued.
 */
export const OUTBOX_PREFIX = 'mail_outbox_';

export const outboxOfMonth = (month: string) => `${OUTBOX_PREFIX}${month.replace('-', '_')}`;

export const outboxFor = (at: Date) => outboxOfMonth(monthOf(chinaDay(at)));

export const outboxCollection = (name: string) => mongoose.connection.collection<OutboxMail>(name);
