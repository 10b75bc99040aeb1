import { logger } from '../shared/logger';
import type { LatestEntry } from './project.model';

/**
 * Tells whoever follows the history (src/notifications) of each change just
 * committed, in commit order, in this process. A listener only takes note: the
 * change is committed whatever it does, and a follower that missed changes (a
 * restart) reads them back from the history by their keys.
 */
type Listener = (projectId: string, entry: LatestEntry) => void;

const listeners = new Set<Listener>();

/** Listens until the returned function is called. */
export function onCommit(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function announceCommit(projectId: string, entry: LatestEntry): void {
  for (const listener of listeners) {
    try {
      listener(projectId, entry);
    } catch (error) {
      logger.error({ err: error, projectId, version: entry.version }, 'a commit listener failed');
    }
  }
}
