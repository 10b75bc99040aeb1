import { LRUCache } from 'lru-cache';
import { Types } from 'mongoose';
import { historyEntryId, type LatestEntry, type StoredHistoryEntry } from './project.model';

/**
 * History entries known to be in `project_history`: read from it or appended
 * to it lately. An entry never changes once appended, so one read (or the
 * append itself) serves every later look at it.
 */
const stored = new LRUCache<string, StoredHistoryEntry>({ max: 50_000 });

export const knownEntry = (projectId: string, version: number): StoredHistoryEntry | undefined => stored.get(historyEntryId(projectId, version));

export const rememberStored = (entry: StoredHistoryEntry): void => void stored.set(entry._id, entry);

export const rememberAppended = (projectId: string, entry: LatestEntry): void =>
  rememberStored({ _id: historyEntryId(projectId, entry.version), projectId: new Types.ObjectId(projectId), ...entry });

/** Forgets them all, as a restart does. */
export const forgetStoredEntries = (): void => stored.clear();
