import type { Request } from 'express';
import escapeStringRegexp from 'escape-string-regexp';
import { Types, type mongo } from 'mongoose';
import type { CurrentUser } from '../shared/current-user';
import { auditActions, auditMonths, monthCollection, monthOf, type AuditAction, type AuditActor, type AuditChange, type AuditEntry, type AuditTarget } from './audit.model';

/** Where an entry comes from: who (absent when nobody is signed in), from which address, in which request. */
export interface AuditSource {
  actor?: AuditActor;
  address?: string;
  requestId?: string;
}

export interface AuditInput extends AuditSource {
  action: AuditAction;
  target?: AuditTarget;
  changes?: AuditChange[];
  summary?: string;
}

export const actorOf = (user: CurrentUser): AuditActor => ({ id: user.id, username: user.username, displayName: user.displayName, role: user.role });

/** The source of what a request does: its signed-in user (if any), its address and its id. */
export const sourceOf = (req: Request, user: CurrentUser | undefined = req.currentUser): AuditSource => ({
  actor: user && actorOf(user),
  address: req.ip,
  requestId: String(req.id),
});

/** Field names whose values are never written to the log, whoever passes them. */
const SECRET = /password|hash|secret|token/i;

const withoutSecrets = (change: AuditChange): AuditChange => (SECRET.test(change.field) ? { field: change.field } : change);

/**
 * Records one entry, awaited: a change whose entry cannot be written fails with it (the caller's request answers
 * 503), so the log misses nothing that a user was told had happened.
 */
export async function recordAudit(input: AuditInput): Promise<void> {
  const entry: AuditEntry = { _id: new Types.ObjectId(), at: new Date(), ...input, changes: input.changes?.map(withoutSecrets) };
  // Absent stays absent (a change's old value when something is created, a visitor's actor), not null.
  await (await monthCollection(monthOf(entry.at))).insertOne(entry, { ignoreUndefined: true });
}

// ------------------------------------------------------------------------------------------------ reading

export interface AuditQuery {
  page: number;
  limit: number;
  /** First and last day (YYYY-MM-DD, China time), both included. */
  from: string;
  to: string;
  action?: AuditAction;
  /** The acting user's username. */
  actor?: string;
  /** The target's id or name. */
  target?: string;
  /** Text anywhere in the usernames, names, fields, summary or address. */
  q?: string;
}

const TEXT_FIELDS = ['actor.username', 'actor.displayName', 'target.id', 'target.name', 'changes.field', 'summary', 'address'];

/** The start of a day in China as an ObjectId: ids carry their creation second, so a day range is an id range. */
const idAtStartOf = (day: string) => Types.ObjectId.createFromTime(new Date(`${day}T00:00:00+08:00`).getTime() / 1000);

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

function filterOf(query: AuditQuery): mongo.Filter<AuditEntry> {
  const and: mongo.Filter<AuditEntry>[] = [{ _id: { $gte: idAtStartOf(query.from), $lt: idAtStartOf(nextDay(query.to)) } }];
  if (query.action) and.push({ action: query.action });
  if (query.actor) and.push({ 'actor.username': query.actor });
  if (query.target) and.push({ $or: [{ 'target.id': query.target }, { 'target.name': query.target }] });
  if (query.q) {
    const pattern = escapeStringRegexp(query.q);
    // The kind of entry is found by the words readers see for it ("重置密码"), not by its key.
    const actions = (Object.keys(auditActions) as AuditAction[]).filter((action) => auditActions[action].includes(query.q!));
    and.push({ $or: [...TEXT_FIELDS.map((field) => ({ [field]: { $regex: pattern, $options: 'i' } })), ...(actions.length ? [{ action: { $in: actions } }] : [])] });
  }
  return { $and: and };
}

const view = (entry: AuditEntry) => ({
  id: entry._id.toString(),
  at: entry.at.toISOString(),
  action: entry.action,
  actionLabel: auditActions[entry.action] ?? entry.action,
  actor: entry.actor,
  target: entry.target,
  changes: entry.changes,
  summary: entry.summary,
  address: entry.address,
  requestId: entry.requestId,
});

/**
 * Entries newest first. Only the months of the date range are read (on the embedded database, each of them whole:
 * once to count, once for the page), so the range's length, not the log's, bounds the cost.
 */
export async function listAudit(query: AuditQuery) {
  const first = monthOf(new Date(`${query.from}T00:00:00+08:00`));
  const last = monthOf(new Date(`${query.to}T00:00:00+08:00`));
  const months = (await auditMonths()).filter((month) => month >= first && month <= last);
  const filter = filterOf(query);
  const collections = await Promise.all(months.map(monthCollection));
  const counts = await Promise.all(collections.map((c) => c.countDocuments(filter)));
  const items: AuditEntry[] = [];
  let skip = (query.page - 1) * query.limit;
  for (const [i, collection] of collections.entries()) {
    if (items.length === query.limit) break;
    if (skip >= counts[i]!) {
      skip -= counts[i]!;
      continue;
    }
    items.push(...(await collection.find(filter).sort({ _id: -1 }).skip(skip).limit(query.limit - items.length).toArray()));
    skip = 0;
  }
  return { items: items.map(view), total: counts.reduce((a, b) => a + b, 0), page: query.page, limit: query.limit };
}
