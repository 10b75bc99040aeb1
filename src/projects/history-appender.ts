import { duplicatesOnly, isDuplicateKey } from '../shared/mongo-errors';
import { logger } from '../shared/logger';
import type { LatestEntry } from './project.model';
import { rememberAppended } from './history-cache';
import { encodeHistoryEntry, historyStore, type PackedHistoryEntry } from './project-store';

/**
 * Appends committed history entries to `project_history` (README, "Storage").
 * A change is committed with its entry inside the project, so appending can
 * wait a moment: entries are gathered for a few milliseconds and written in
 * one insert, which costs the database far less than one insert each. Only a
 * project's newest entry can be waiting; before the project changes again it
 * is appended (`ensureAppended`), so the history never loses one.
 */
const GATHER_MS = 20;

/** Versions this process knows to be in the collection, by project. */
const appended = new Map<string, number>();
const waiting = new Map<string, { packed: PackedHistoryEntry; entry: LatestEntry }>();
let timer: NodeJS.Timeout | undefined;
let flushing: Promise<void> = Promise.resolve();

async function writeWaiting(): Promise<void> {
  timer = undefined;
  const batch = [...waiting.values()];
  waiting.clear();
  if (batch.length === 0) return;
  try {
    await historyStore.insertMany(batch.map((w) => w.packed));
  } catch (error) {
    // Entries already there (written before a crash, or by a repair) are fine; any other failure leaves them
    // to their projects, which still hold them: the next change of each appends it.
    if (!duplicatesOnly(error, batch.length)) {
      logger.warn({ err: error, entries: batch.length }, 'history entries not appended yet');
      return;
    }
  }
  for (const { packed, entry } of batch) {
    appended.set(packed.projectId.toString(), entry.version);
    rememberAppended(packed.projectId.toString(), entry);
  }
}

/** Writes whatever is waiting now, after any write already under way. */
export function flushHistory(): Promise<void> {
  clearTimeout(timer);
  flushing = flushing.then(writeWaiting);
  return flushing;
}

/** Queues the newest entry of a project just committed. */
export function appendLater(projectId: string, entry: LatestEntry): void {
  waiting.set(projectId, { packed: encodeHistoryEntry(projectId, entry), entry });
  timer ??= setTimeout(() => void flushHistory(), GATHER_MS);
}

/** Makes sure the project's newest entry is in the collection before the project changes again. */
export async function ensureAppended(projectId: string, entry: LatestEntry): Promise<void> {
  if (appended.get(projectId) === entry.version) return;
  if (waiting.has(projectId)) await flushHistory();
  if (appended.get(projectId) === entry.version) return;
  try {
    await historyStore.insertOne(projectId, entry);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  appended.set(projectId, entry.version);
  rememberAppended(projectId, entry);
}

/** Forgets what was appended, as a restart does. */
export function forgetAppended(): void {
  appended.clear();
}
