import { LRUCache } from 'lru-cache';
import mongoose from 'mongoose';
import { logger } from '../shared/logger';

export const SESSION_COLLECTION = 'sessions';
/** Holds the secret that signs session cookies. */
export const SECRETS_COLLECTION = 'secrets';

export interface CachedSession {
  session: { userId?: string; [key: string]: unknown };
  expires: number;
}

/**
 * The sessions this process has read or written, so that a request costs no
 * database look-up for its session: the service is the database's only
 * process (src/db/service-lease.ts), and every change goes through here.
 */
export const sessionCache = new LRUCache<string, CachedSession>({ max: 20_000 });

/** Sessions are stored as documents (not strings) so that a user's can be found and ended; all of them, or all but `keep`. */
export async function endSessionsOf(userId: string, keep?: string): Promise<void> {
  for (const [sid, { session }] of sessionCache.entries()) if (session.userId === userId && sid !== keep) sessionCache.delete(sid);
  await mongoose.connection.collection(SESSION_COLLECTION).deleteMany({ 'session.userId': userId, ...(keep ? { _id: { $ne: keep } } : {}) } as never);
}

/** One sweep, acknowledged; the number of sessions removed. */
export async function removeExpiredSessions(): Promise<number> {
  const { deletedCount } = await mongoose.connection.collection(SESSION_COLLECTION).deleteMany({ expires: { $lt: new Date() } });
  return deletedCount;
}

/**
 * Removes expired sessions every `everyMs`, one sweep at a time, for as long as the process
 * runs. Not connect-mongo's own interval removal: it deletes with write concern `{w: 0}`, a
 * message the server must not answer, but FerretDB 1.x answers it all the same. The driver
 * reads answers in order without matching them to their requests, so it hands that stray
 * answer to the next command on the connection, and every later command there gets the
 * answer of the one before (a find failing with 'BSON element "cursor" is missing', another
 * user's session, another project), until two answers happen to arrive together.
 */
export function sweepExpiredSessions(everyMs: number): void {
  const sweep = async () => {
    if (mongoose.connection.readyState === mongoose.ConnectionStates.connected) {
      try {
        logger.debug({ removed: await removeExpiredSessions() }, 'expired sessions swept');
      } catch (err) {
        logger.warn({ err }, 'sweeping expired sessions failed; trying again at the next sweep');
      }
    }
    setTimeout(sweep, everyMs).unref();
  };
  setTimeout(sweep, everyMs).unref();
}
