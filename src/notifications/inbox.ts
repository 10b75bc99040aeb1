import { messages } from '../../workflows/messages';
import { LRUCache } from 'lru-cache';
import { Types, type mongo } from 'mongoose';
import { canSee } from '../../workflows/access';
import { mailSubject, notificationText, type NotificationContent, type NotificationKind } from '../../workflows/notifications';
import { userEntry, type DirectoryEntry } from '../accounts/accounts.service';
import { mailConfigured } from '../mail/mail-settings';
import { queueMail } from '../mail/outbox';
import { KeyedLock } from '../shared/keyed-lock';
import { duplicatesOnly } from '../shared/mongo-errors';
import { notFound } from '../shared/problem';
import { idOf, type Notice } from './notice';
import { inboxesCollection, notificationsCollection, slotId, slotsCollection, type Inbox, type StoredNotification } from './notification.model';
import { groupBy } from '../shared/group-by';

/**
 * Each user's notifications (notification.model.ts): delivering them once,
 * numbered in the order they come, a page of them newest first, read and
 * unread. Everything that changes a user's inbox runs one at a time for that
 * user (in this process, the database's only service process), so the unread
 * count follows what is stored.
 */
const perUser = new KeyedLock();

/** Inboxes as stored, kept once read: every change goes through this module. */
const inboxes = new Map<string, Inbox>();

/** Notifications read or written lately: the first page is read again and again. */
const recent = new LRUCache<string, StoredNotification>({ max: 20_000 });

const emptyInbox = (userId: string): Inbox => ({ _id: userId, next: 0, readThrough: 0, countedThrough: 0, unread: 0, emailKinds: [] });

async function inboxOf(userId: string): Promise<Inbox> {
  let inbox = inboxes.get(userId);
  if (!inbox) {
    inbox = (await inboxesCollection().findOne({ _id: userId })) ?? emptyInbox(userId);
    inboxes.set(userId, inbox);
  }
  return inbox;
}

async function saveInbox({ _id, ...inbox }: Inbox): Promise<void> {
  await inboxesCollection().replaceOne({ _id }, inbox, { upsert: true });
}

async function findNotification(id: string): Promise<StoredNotification | undefined> {
  const known = recent.get(id);
  if (known) return known;
  const stored = await notificationsCollection().findOne({ _id: id });
  if (stored) recent.set(id, stored);
  return stored ?? undefined;
}

const isRead = (notification: StoredNotification, inbox: Inbox) => notification.read || notification.seq <= inbox.readThrough;

/** Inserts what is not there yet; returns what it inserted. */
async function insertNew<T extends { _id: string }>(collection: mongo.Collection<T>, documents: T[]): Promise<T[]> {
  if (documents.length === 0) return [];
  try {
    await collection.insertMany(documents as mongo.OptionalUnlessRequiredId<T>[], { ordered: false });
    return documents;
  } catch (error) {
    const duplicates = duplicatesOnly(error, documents.length);
    if (!duplicates) throw error;
    return documents.filter((_, i) => !duplicates.has(i));
  }
}

let linkBase = '';

/** Where the links in e-mail point: the service's public address (PUBLIC_URL). */
export function useLinkBase(publicUrl: string): void {
  linkBase = publicUrl;
}

function mailText(content: NotificationContent, recipient: DirectoryEntry): string {
  const { text } = notificationText(content);
  return [
    `${recipient.displayName}：`,
    '',
    text,
    '',
    `项目：${content.subject.projectName}`,
    `查看：${linkBase}/projects/${content.subject.projectId}`,
    '',
    '—— 发改局项目资金申报管理系统（系统自动发送，请勿回复；在“通知”页面可选择哪些通知发送邮件）',
  ].join('\n');
}

async function mailIfWanted(notification: StoredNotification, inbox: Inbox, recipient: DirectoryEntry): Promise<void> {
  if (!recipient.email || !inbox.emailKinds.includes(notification.kind) || !mailConfigured()) return;
  const content = { kind: notification.kind, subject: notification.subject } as NotificationContent;
  await queueMail({
    id: notification._id,
    to: recipient.email,
    subject: mailSubject(notificationText(content).title),
    text: mailText(content, recipient),
    userId: recipient.id,
    projectId: notification.projectId,
    at: notification.at,
  });
}

/** Deliveries to different users at once; each user's in turn. */
const USERS_AT_ONCE = 2;
/**
 * Notices stored in one write: the embedded database holds its write lock for
 * a whole insert, and a sweep's thousands must not keep people's changes waiting.
 */
const NOTICES_PER_WRITE = 100;

/**
 * Delivers notices, each at most once whatever calls it how often: a notice
 * whose id is stored already is not stored again. `checkFirst` looks each one
 * up before numbering it; without it a notice known to be new (one just
 * derived from a change committed since the service started) saves the look-up.
 */
export async function deliver(notices: readonly Notice[], checkFirst: boolean): Promise<void> {
  const byUser = groupBy(notices, (notice) => notice.userId);
  const users = [...byUser.keys()];
  const deliverAll = async (userId: string) => {
    const mine = byUser.get(userId)!;
    for (let i = 0; i < mine.length; i += NOTICES_PER_WRITE) await deliverTo(userId, mine.slice(i, i + NOTICES_PER_WRITE), checkFirst);
  };
  for (let i = 0; i < users.length; i += USERS_AT_ONCE) await Promise.all(users.slice(i, i + USERS_AT_ONCE).map(deliverAll));
}

async function deliverTo(userId: string, notices: Notice[], checkFirst: boolean): Promise<void> {
  const recipient = userEntry(userId);
  if (!recipient || recipient.disabled) return;
  // The one place that keeps an owner from hearing of another organisation's project, whoever derived the notice.
  const allowed = notices.filter((notice) => canSee(recipient, { orgId: notice.orgId }));
  if (allowed.length === 0) return;
  await perUser.run(userId, async () => {
    const inbox = await inboxOf(userId);
    const found = checkFirst ? await Promise.all(allowed.map((notice) => findNotification(idOf(notice)))) : [];
    const stored = found.filter((n) => n !== undefined);
    const fresh = allowed.filter((_, i) => !found[i]);

    const first = inbox.next + 1;
    if (fresh.length) {
      // The numbers are taken before they are used, so a crash can leave a gap but never give one number twice.
      inbox.next += fresh.length;
      await saveInbox(inbox);
    }
    const documents: StoredNotification[] = fresh.map((notice, i) => ({
      _id: idOf(notice),
      userId,
      seq: first + i,
      kind: notice.content.kind,
      subject: notice.content.subject,
      projectId: new Types.ObjectId(notice.content.subject.projectId),
      at: notice.at,
      read: false,
    }));
    await insertNew(slotsCollection(), documents.map((n) => ({ _id: slotId(userId, n.seq), notificationId: n._id })));
    const inserted = await insertNew(notificationsCollection(), documents);
    for (const notification of inserted) recent.set(notification._id, notification);

    // Stored before a crash cut a delivery short: mailed (queueing is once per id) and counted now if they were not yet.
    const uncounted = stored.filter((n) => n.seq > inbox.countedThrough);
    const delivered = [...inserted, ...uncounted];
    // Mail is queued before the count moves past it, so a counted notification always has its mail queued.
    for (const notification of delivered) await mailIfWanted(notification, inbox, recipient);
    const newlyUnread = delivered.filter((n) => !isRead(n, inbox)).length;
    if (newlyUnread || inbox.countedThrough < inbox.next) {
      inbox.unread += newlyUnread;
      inbox.countedThrough = inbox.next;
      await saveInbox(inbox);
    }
  });
}

/** Whether the user may see a notification now (see notifications.service.ts). */
export type Shown = (notification: StoredNotification) => boolean;

/**
 * A page of the notifications the user may see, newest first, from before
 * number `before` (the first page without it). A first page that reaches back
 * past everything unread also puts the unread count right, should it have
 * drifted (a crash between two writes, a project removed with the demo data).
 */
export function inboxPage(userId: string, limit: number, before: number | undefined, shown: Shown) {
  return perUser.run(userId, async () => {
    const inbox = await inboxOf(userId);
    const items: StoredNotification[] = [];
    let top = Math.min(before === undefined ? inbox.next : before - 1, inbox.next);
    // Gaps left by crashes are passed over, but a page never looks up more than this.
    let budget = 3 * limit + 20;
    while (items.length < limit && top >= 1 && budget > 0) {
      const count = Math.min(limit - items.length + 2, top, budget);
      const seqs = Array.from({ length: count }, (_, i) => top - i);
      const slots = await Promise.all(seqs.map((seq) => slotsCollection().findOne({ _id: slotId(userId, seq) })));
      const found = await Promise.all(slots.map((slot) => (slot ? findNotification(slot.notificationId) : undefined)));
      found.forEach((notification, i) => {
        if (notification?.userId === userId && notification.seq === seqs[i] && shown(notification)) items.push(notification);
      });
      top -= count;
      budget -= count;
    }
    const page = items.slice(0, limit);
    if (before === undefined && items.length <= limit && top < inbox.readThrough + 1) {
      const unread = page.filter((n) => !isRead(n, inbox)).length;
      if (unread !== inbox.unread) {
        inbox.unread = unread;
        await saveInbox(inbox);
      }
    }
    const last = page.at(-1);
    const more = page.length === limit && last ? last.seq : top >= 1 ? top + 1 : undefined;
    return { items: page.map((n) => ({ ...n, read: isRead(n, inbox) })), unread: inbox.unread, before: more };
  });
}

export async function unreadCount(userId: string): Promise<number> {
  return (await inboxOf(userId)).unread;
}

/** Marks one of the user's notifications read; someone else's, or one they may no longer see, is unknown to them (404). */
export function markRead(userId: string, id: string, shown: Shown): Promise<void> {
  return perUser.run(userId, async () => {
    const notification = await findNotification(id);
    if (notification?.userId !== userId || !shown(notification)) throw notFound(messages.notificationNotFound);
    const inbox = await inboxOf(userId);
    if (isRead(notification, inbox)) return;
    await notificationsCollection().updateOne({ _id: id }, { $set: { read: true } });
    recent.set(id, { ...notification, read: true });
    if (notification.seq <= inbox.countedThrough) {
      inbox.unread = Math.max(0, inbox.unread - 1);
      await saveInbox(inbox);
    }
  });
}

/** Marks everything the user has so far read: one write, however many there are. */
export function markAllRead(userId: string): Promise<void> {
  return perUser.run(userId, async () => {
    const inbox = await inboxOf(userId);
    inbox.readThrough = inbox.next;
    inbox.countedThrough = inbox.next;
    inbox.unread = 0;
    await saveInbox(inbox);
  });
}

export async function emailKinds(userId: string): Promise<NotificationKind[]> {
  return (await inboxOf(userId)).emailKinds;
}

export function setEmailKinds(userId: string, kinds: NotificationKind[]): Promise<void> {
  return perUser.run(userId, async () => {
    const inbox = await inboxOf(userId);
    inbox.emailKinds = kinds;
    await saveInbox(inbox);
  });
}
