/**
 * Notifications for bench/scale, written straight into the service's database
 * in its stored shape (src/notifications/notification.model.ts): `perProject`
 * per seeded project, each to one of `users` in turn, numbered per user, so the
 * collections are as large as a bureau's after a while. Returns, per user, the
 * ids of their notifications, oldest first.
 */
import mongoose, { Types } from 'mongoose';
import type { Inbox, Slot, StoredNotification } from '../../src/notifications/notification.model';
import { notificationId, slotId } from '../../src/notifications/notification.model';
import type { SeededProject } from './seed-projects';

const BATCH = 5_000;

export async function seedNotifications(uri: string, projects: readonly SeededProject[], users: readonly string[], perProject: number): Promise<Map<string, string[]>> {
  const client = await new mongoose.mongo.MongoClient(uri, { directConnection: true }).connect();
  const db = client.db('fundflow');
  const byUser = new Map(users.map((user) => [user, [] as string[]]));
  let notifications: StoredNotification[] = [];
  let slots: Slot[] = [];
  const flush = async () => {
    if (notifications.length) await db.collection<StoredNotification>('notifications').insertMany(notifications, { ordered: false });
    if (slots.length) await db.collection<Slot>('notification_slots').insertMany(slots, { ordered: false });
    notifications = [];
    slots = [];
  };
  const at = new Date();
  let k = 0;
  try {
    for (const project of projects) {
      for (let i = 0; i < perProject; i++, k++) {
        const userId = users[k % users.length]!;
        const mine = byUser.get(userId)!;
        const _id = notificationId(`bench:${project.id}:${i}`, userId);
        mine.push(_id);
        const subject = { projectId: project.id, projectName: project.name, document: '项目建议书或项目简介', version: i + 1, fileName: '项目建议书.pdf', by: '基准' };
        notifications.push({ _id, userId, seq: mine.length, kind: 'document_review', subject, projectId: new Types.ObjectId(project.id), at, read: false });
        slots.push({ _id: slotId(userId, mine.length), notificationId: _id });
        if (notifications.length >= BATCH) await flush();
      }
    }
    await flush();
    const inboxes = [...byUser].map(([userId, ids]): Inbox => ({ _id: userId, next: ids.length, readThrough: 0, countedThrough: ids.length, unread: ids.length, emailKinds: [] }));
    await db.collection<Inbox>('notification_inboxes').insertMany(inboxes);
  } finally {
    await client.close();
  }
  return byUser;
}
