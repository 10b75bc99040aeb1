import MongoStore from 'connect-mongo';
import type { SessionData } from 'express-session';
import mongoose from 'mongoose';
import { SESSION_COLLECTION, sessionCache } from './session-records';

type Callback<T = void> = (err: unknown, value?: T) => void;

interface StoredSession {
  _id: string;
  session: SessionData;
  expires?: Date;
  lastModified?: Date;
}

const expiryOf = (session: SessionData, fallbackSeconds: number) =>
  session.cookie?.expires ? new Date(session.cookie.expires).getTime() : Date.now() + fallbackSeconds * 1000;

/**
 * connect-mongo's store with two changes: a session is found by its key alone
 * (connect-mongo adds an expiry condition, which FerretDB answers by reading
 * every session), and the sessions this process has seen are answered from
 * memory (session-records.ts).
 */
export class SessionStore extends MongoStore {
  constructor(
    options: ConstructorParameters<typeof MongoStore>[0],
    private readonly ttlSeconds: number,
    private readonly touchAfterSeconds: number,
  ) {
    super(options);
  }

  private remember(sid: string, session: SessionData): void {
    sessionCache.set(sid, { session: structuredClone(session) as never, expires: expiryOf(session, this.ttlSeconds) });
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    const cached = sessionCache.get(sid);
    if (cached && cached.expires > Date.now()) {
      callback(null, structuredClone(cached.session) as unknown as SessionData);
      return;
    }
    mongoose.connection
      .collection<StoredSession>(SESSION_COLLECTION)
      .findOne({ _id: sid })
      .then((doc) => {
        if (!doc || (doc.expires && doc.expires.getTime() <= Date.now())) return callback(null, null);
        const session = doc.lastModified ? { ...doc.session, lastModified: doc.lastModified } : doc.session;
        this.remember(sid, session);
        callback(null, session);
      }, callback);
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    super.set(sid, session, (err) => {
      // connect-mongo has just written it; the next touch is due `touchAfter` from now.
      if (!err) this.remember(sid, { ...session, lastModified: new Date() } as SessionData);
      callback?.(err);
    });
  }

  override touch(sid: string, session: SessionData & { lastModified?: Date }, callback?: Callback): void {
    const written = !session.lastModified || Date.now() - session.lastModified.getTime() >= this.touchAfterSeconds * 1000;
    super.touch(sid, session, (err) => {
      if (!err) this.remember(sid, written ? ({ ...session, lastModified: new Date() } as SessionData) : session);
      callback?.(err);
    });
  }

  override destroy(sid: string, callback?: Callback): void {
    sessionCache.delete(sid);
    super.destroy(sid, callback);
  }
}
