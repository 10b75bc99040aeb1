import crypto from 'node:crypto';
import mongoose from 'mongoose';
import session from 'express-session';
import { SessionStore } from './session-store';
import { csrfSync } from 'csrf-sync';
import type { RequestHandler } from 'express';
import type { Settings } from '../config';
import { messages } from '../../workflows/messages';
import { loadCurrentUser } from './accounts.service';
import { SECRETS_COLLECTION, SESSION_COLLECTION, sweepExpiredSessions } from './session-records';

const SESSION_TTL_SECONDS = 8 * 60 * 60;
/** A session is rewritten at most every five minutes, not on every request. */
const TOUCH_AFTER_SECONDS = 5 * 60;
export const SESSION_COOKIE = 'fundflow.sid';

/** Kept in the database so sessions survive restarts without a secret in the environment. */
async function sessionSecret(): Promise<string> {
  const secrets = mongoose.connection.collection<{ _id: string; value: string }>(SECRETS_COLLECTION);
  await secrets.updateOne(
    { _id: 'session' },
    { $setOnInsert: { value: crypto.randomBytes(32).toString('hex') } },
    { upsert: true },
  );
  const doc = await secrets.findOne({ _id: 'session' });
  return doc!.value;
}

export async function createSessionMiddleware(settings: Settings): Promise<RequestHandler> {
  sweepExpiredSessions(settings.sessionSweepMs);
  return session({
    name: SESSION_COOKIE,
    secret: await sessionSecret(),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: settings.cookieSecure, maxAge: SESSION_TTL_SECONDS * 1000 },
    store: new SessionStore(
      {
        client: mongoose.connection.getClient() as never,
        dbName: mongoose.connection.name,
        collectionName: SESSION_COLLECTION,
        ttl: SESSION_TTL_SECONDS,
        stringify: false,
        // Our own sweep (sweepExpiredSessions) instead of a TTL index, which FerretDB lacks, or connect-mongo's unacknowledged one.
        autoRemove: 'disabled',
        touchAfter: TOUCH_AFTER_SECONDS,
      },
      SESSION_TTL_SECONDS,
      TOUCH_AFTER_SECONDS,
    ),
  });
}

/** Loads the signed-in user on every request, so a disabled user is out at once. */
export const loadUser: RequestHandler = async (req, _res, next) => {
  const userId = req.session?.userId;
  if (userId) {
    req.currentUser = await loadCurrentUser(userId);
    if (!req.currentUser) await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
  }
  next();
};

export const csrf = csrfSync({
  getTokenFromRequest: (req) => req.get('x-csrf-token'),
  errorConfig: { statusCode: 403, message: messages.csrfFailed, code: 'EBADCSRFTOKEN' },
});

/** Login is the one state change made before a session (and so a token) exists. */
export const csrfProtection: RequestHandler = (req, res, next) =>
  req.path === '/api/auth/login' || !req.session?.userId ? next() : csrf.csrfSynchronisedProtection(req, res, next);

export function regenerateSession(req: Parameters<RequestHandler>[0]): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}
