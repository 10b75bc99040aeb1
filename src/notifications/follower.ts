import { Types, type mongo } from 'mongoose';
import { catalogue } from '../projects/catalogue';
import { onCommit } from '../projects/commits';
import { historyEntryId, type LatestEntry } from '../projects/project.model';
import { findProject, storedHistory } from '../projects/project.repository';
import { logger } from '../shared/logger';
import { isDuplicateKey } from '../shared/mongo-errors';
import { noticesOfEntry } from './derive';
import { deliver } from './inbox';
import type { Notice } from './notice';
import { cursorsCollection, FOLLOWER_STARTED, type Cursor } from './notification.model';

/**
 * Turns the committed history into notifications, after the fact: a change is
 * committed with its history entry (src/projects), and this follower, told of
 * each commit in this process, derives the entry's notifications a moment
 * later. It keeps, per project, the last version it has derived (its cursor).
 * Cursors are written every few seconds; after a crash the follower derives
 * again from the cursors it finds, reading the entries it missed by their keys,
 * and delivering finds the notifications it had already stored (their ids say
 * which entry and user they are for): none is lost, none is doubled.
 *
 * On a database where it never ran (an installation from before it), it starts
 * from each project's present version: old news is not news.
 */
const ROUND_DELAY_MS = 200;
const RETRY_MS = 5_000;
/** How often moved cursors are written: after a crash, at most this much of the history is derived again (and found delivered). */
const CHECKPOINT_MS = 30_000;
const CURSORS_PER_WRITE = 50;
/** Projects taken in one round, so a start-up with much to catch up on delivers in steps. */
const PROJECTS_PER_ROUND = 500;

/** Per project, the version whose notifications are delivered. */
const cursors = new Map<string, number>();
/** Cursors moved since they were last written. */
const moved = new Set<string>();
/** Entries committed since the start, by project, in version order. */
const committed = new Map<string, LatestEntry[]>();
/** Projects whose entries must be read back (missed while the service was down) and checked against what was delivered. */
const behind = new Set<string>();

let timer: NodeJS.Timeout | undefined;
let round: Promise<void> = Promise.resolve();
let stopped = true;

const cursorsOf = () => cursorsCollection() as mongo.Collection<Cursor>;

function schedule(delay = ROUND_DELAY_MS): void {
  if (stopped || timer) return;
  timer = setTimeout(() => {
    timer = undefined;
    round = round.then(followUp);
  }, delay);
}

/** The stored entries of versions `from` to `to`, as far as they are found without a gap. */
async function storedEntries(projectId: string, from: number, to: number): Promise<LatestEntry[]> {
  const stored: LatestEntry[] = await storedHistory(projectId, from, to);
  if (stored.at(-1)?.version !== to) {
    // The newest entry may not be appended yet: its project holds it.
    const { lastEntry } = await findProject(projectId);
    if (lastEntry.version === to) stored.push(lastEntry);
  }
  return stored.filter((entry, i) => entry.version === from + i);
}

/**
 * A project's entries not yet derived, oldest first and without a gap: those
 * committed since the start, after those it has to read back (missed while the
 * service was down). `check`: they must be checked against what was delivered.
 */
async function pendingEntries(projectId: string, cursor: number): Promise<{ entries: LatestEntry[]; check: boolean }> {
  const live = (committed.get(projectId) ?? []).filter((entry) => entry.version > cursor);
  const lagging = behind.has(projectId);
  const missedUpTo = live.length ? live[0]!.version - 1 : lagging ? (catalogue.get(projectId)?.version ?? 0) : cursor;
  const missed = missedUpTo > cursor ? await storedEntries(projectId, cursor + 1, missedUpTo) : [];
  const entries = missed.length === missedUpTo - cursor ? [...missed, ...live] : missed;
  return { entries, check: lagging || missedUpTo > cursor };
}

async function followUp(): Promise<void> {
  const projects = [...new Set([...committed.keys(), ...behind])].slice(0, PROJECTS_PER_ROUND);
  if (projects.length === 0) return;
  const notices: { fresh: Notice[]; checked: Notice[] } = { fresh: [], checked: [] };
  const reached = new Map<string, number>();
  try {
    for (const projectId of projects) {
      const row = catalogue.get(projectId);
      if (!row) {
        // Removed (demo data): nothing to tell of it any more.
        committed.delete(projectId);
        behind.delete(projectId);
        continue;
      }
      const { entries, check } = await pendingEntries(projectId, cursors.get(projectId) ?? 0);
      for (const entry of entries) (check ? notices.checked : notices.fresh).push(...noticesOfEntry(row, entry, historyEntryId(projectId, entry.version)));
      if (entries.length) reached.set(projectId, entries.at(-1)!.version);
    }
    await deliver(notices.fresh, false);
    await deliver(notices.checked, true);
  } catch (error) {
    // The database did not answer: what was taken is derived again, checked against what got through.
    for (const projectId of projects) behind.add(projectId);
    logger.warn({ err: error }, 'notifications not delivered yet');
    schedule(RETRY_MS);
    return;
  }
  for (const [projectId, version] of reached) {
    cursors.set(projectId, version);
    moved.add(projectId);
    const left = (committed.get(projectId) ?? []).filter((entry) => entry.version > version);
    if (left.length) committed.set(projectId, left);
    else committed.delete(projectId);
    if (version >= (catalogue.get(projectId)?.version ?? 0)) behind.delete(projectId);
  }
  // An entry not found (appended a moment later, or lost and waiting for `npm run check -- --repair`) is looked for again after a pause.
  if (committed.size || behind.size) schedule(reached.size ? 0 : RETRY_MS);
}

/**
 * Writes the cursors that moved, a few at a time: the embedded database writes
 * one statement after another, and changes people wait for must get between
 * them. Those that fail stay to be written next time.
 */
async function checkpoint(): Promise<void> {
  const ids = [...moved];
  moved.clear();
  for (let i = 0; i < ids.length; i += CURSORS_PER_WRITE) {
    const batch = ids.slice(i, i + CURSORS_PER_WRITE);
    const writes = batch.map((id) => ({
      updateOne: { filter: { _id: id }, update: { $set: { projectId: new Types.ObjectId(id), version: cursors.get(id)! } }, upsert: true },
    }));
    try {
      await cursorsOf().bulkWrite(writes, { ordered: false });
    } catch (error) {
      for (const id of ids.slice(i)) moved.add(id);
      logger.warn({ err: error }, 'notification cursors not written yet');
      return;
    }
  }
}

/** Reads the cursors, or sets them at each project's version on a database where the follower never ran. */
async function loadCursors(): Promise<void> {
  cursors.clear();
  let started = false;
  for await (const cursor of cursorsOf().find({})) {
    if (cursor._id === FOLLOWER_STARTED) started = true;
    else cursors.set(cursor._id, cursor.version);
  }
  if (started) return;
  const present = catalogue.rows().map((row) => ({ _id: row.id, projectId: new Types.ObjectId(row.id), version: row.version }));
  for (const cursor of present) cursors.set(cursor._id, cursor.version);
  // Set before the mark that says they are: a start cut off here sets them again.
  if (present.length) await cursorsOf().insertMany(present, { ordered: false }).catch((error: unknown) => {
    if (!isDuplicateKey(error)) throw error;
  });
  await cursorsOf().replaceOne({ _id: FOLLOWER_STARTED }, { version: 0 }, { upsert: true });
}

export interface Follower {
  stop(): Promise<void>;
}

/** Starts following; the catalogue must be loaded. Catches up in the background on what was committed while it was not running. */
export async function startFollower(): Promise<Follower> {
  await loadCursors();
  stopped = false;
  const unsubscribe = onCommit((projectId, entry) => {
    const entries = committed.get(projectId);
    if (entries) entries.push(entry);
    else committed.set(projectId, [entry]);
    schedule();
  });
  for (const row of catalogue.rows()) if (row.version > (cursors.get(row.id) ?? 0)) behind.add(row.id);
  if (behind.size) logger.info({ projects: behind.size }, 'notifications: catching up on changes made while the service was not running');
  schedule(0);
  let writing: Promise<void> = Promise.resolve();
  const checkpoints = setInterval(() => {
    writing = writing.then(checkpoint);
  }, CHECKPOINT_MS);
  return {
    async stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
      timer = undefined;
      clearInterval(checkpoints);
      await round;
      await writing;
      await checkpoint();
    },
  };
}
