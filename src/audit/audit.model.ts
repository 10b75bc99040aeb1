/**
 * The audit log: who did what, to what, from where, with old and new values. Entries are never changed or removed.
 *
 * It grows forever, and the embedded database reads a whole collection for any filter but `{_id}`. So entries are
 * kept in one collection per calendar month (China time), `audit_YYYY_MM`: a query reads only the months its date
 * range covers, and the range is bounded (audit.service.ts). Ids are ObjectIds, which sort by time, so newest first is
 * a sort by `_id` and a date range is an `_id` range that MongoDB answers from its primary index.
 */
import mongoose, { Types } from 'mongoose';
import type { Role } from '../shared/current-user';

/** Every kind of entry, with its label for readers. A module that records something new adds it here. */
export const auditActions = {
  'auth.login': '登录成功',
  'auth.login_failed': '登录失败',
  'auth.login_blocked': '登录受限',
  'organisation.create': '新建单位',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.password_reset': '重置密码',
  'user.password_change': '修改密码',
  'demo.remove': '删除演示数据',
  'settings.mail': '修改邮件服务器设置',
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof auditActions;

/** Who acted: a user, or the system itself (start-up, demo data, command-line tools). Absent: nobody signed in. */
export interface AuditActor {
  id?: string;
  username: string;
  displayName?: string;
  role?: Role;
}

export const SYSTEM_ACTOR: AuditActor = { username: 'system', displayName: '系统' };

export interface AuditTarget {
  type: 'user' | 'organisation' | 'project' | 'demo' | 'settings';
  id?: string;
  /** What a reader recognises it by (a username, an organisation or project name). */
  name?: string;
}

export type AuditValue = string | number | boolean | null;

/** One field's change. Secrets are recorded as changed, never with a value: `from` and `to` are then absent. */
export interface AuditChange {
  field: string;
  from?: AuditValue;
  to?: AuditValue;
}

export interface AuditEntry {
  _id: Types.ObjectId;
  at: Date;
  action: AuditAction;
  actor?: AuditActor;
  target?: AuditTarget;
  changes?: AuditChange[];
  /** Anything else worth reading, e.g. how long a login is held back. */
  summary?: string;
  /** The client's address, and the request id that ties the entry to the service's log. */
  address?: string;
  requestId?: string;
}

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
export const AUDIT_COLLECTION_PREFIX = 'audit_';

/** `2026-05` for an instant: months follow China's calendar, as the people reading the log do. */
export function monthOf(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 7);
}

export const collectionOfMonth = (month: string) => `${AUDIT_COLLECTION_PREFIX}${month.replace('-', '_')}`;

const INDEXES = [{ action: 1, _id: -1 }, { 'actor.username': 1, _id: -1 }, { 'target.id': 1, _id: -1 }] as const;
const indexName = (key: Record<string, number>) => Object.entries(key).map(([field, order]) => `${field}_${order}`).join('_');

const indexed = new Set<string>();

/**
 * A month's collection, with the indexes MongoDB uses for the filters the API offers (the embedded database creates
 * them too but reads the month whole). Only missing ones are created: FerretDB 1.24 drops the connection when asked
 * to create several indexes that all exist already.
 */
export async function monthCollection(month: string) {
  const name = collectionOfMonth(month);
  const collection = mongoose.connection.collection<AuditEntry>(name);
  if (!indexed.has(name)) {
    const existing = new Set((await collection.listIndexes().toArray().catch(() => [])).map((index) => index.name as string));
    const missing = INDEXES.filter((key) => !existing.has(indexName(key)));
    if (missing.length) await collection.createIndexes(missing.map((key) => ({ key: { ...key } })));
    indexed.add(name);
  }
  return collection;
}

/** The months that have a collection, newest first. */
export async function auditMonths(): Promise<string[]> {
  const collections = await mongoose.connection.db!.listCollections({}, { nameOnly: true }).toArray();
  return collections
    .map((c) => c.name)
    .filter((name) => /^audit_\d{4}_\d{2}$/.test(name))
    .map((name) => name.slice(AUDIT_COLLECTION_PREFIX.length).replace('_', '-'))
    .sort()
    .reverse();
}
