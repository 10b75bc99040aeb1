import nodemailer from 'nodemailer';
import type { Types } from 'mongoose';
import { monthOf, previousMonth } from '../../workflows/schedule';
import { chinaDay } from '../../workflows/working-days';
import { isDuplicateKey } from '../shared/mongo-errors';
import { logger } from '../shared/logger';
import { mailSettings } from './mail-settings';
import { outboxCollection, outboxFor, outboxOfMonth, type MailSettings, type OutboxMail } from './mail.model';

/**
 * The outbox: e-mail is queued in the database first and sent by one loop,
 * started with the service and stopped with it, so a restart loses nothing
 * that was queued. A failure (server down, refused, timed out) is retried with
 * a delay that doubles each time, up to an hour, and given up after
 * MAX_ATTEMPTS with the last error kept. A mail counts as sent once the SMTP
 * server accepted it; a crash between that and noting it can send it twice,
 * which nothing can rule out with SMTP.
 */
const MAX_ATTEMPTS = 12;
const MAX_DELAY_MS = 60 * 60 * 1000;
/** How long a server may take to answer before the attempt counts as failed. */
const SMTP_TIMEOUT_MS = 15_000;
/** How long a shutdown waits for a mail being sent. */
const STOP_WAIT_MS = 3_000;
/** Longest error text kept with a mail. */
const ERROR_CHARS = 500;

export interface NewMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  userId: string;
  projectId?: Types.ObjectId;
  /** When what the mail tells of happened: it fixes the month's collection the mail is kept in. */
  at: Date;
}

interface Waiting {
  collection: string;
  attempts: number;
  due: number;
}

/** Mail not yet sent nor given up, by id: what the loop works through. */
const waiting = new Map<string, Waiting>();
const failures = { count: 0, last: undefined as { at: Date; error: string } | undefined };

let wake: () => void = () => undefined;

/** Queues a mail once: a second call for the same id finds it queued (or sent) and does nothing. */
export async function queueMail(mail: NewMail): Promise<void> {
  const collection = outboxFor(mail.at);
  const now = new Date();
  const record: OutboxMail = {
    _id: mail.id,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    userId: mail.userId,
    projectId: mail.projectId,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
  };
  try {
    await outboxCollection(collection).insertOne(record, { ignoreUndefined: true });
  } catch (error) {
    if (isDuplicateKey(error)) return;
    throw error;
  }
  waiting.set(mail.id, { collection, attempts: 0, due: now.getTime() });
  wake();
}

/** What the administrator sees of the queue. */
export function outboxStatus() {
  return { waiting: waiting.size, failed: failures.count, lastFailure: failures.last && { at: failures.last.at.toISOString(), error: failures.last.error } };
}

/** Sends sooner: the settings changed, so mail waiting for a retry may go through now. */
export function retrySoon(): void {
  for (const mail of waiting.values()) mail.due = Math.min(mail.due, Date.now());
  wake();
}

const delayAfter = (attempts: number, firstRetryMs: number) => Math.min(firstRetryMs * 2 ** (attempts - 1), MAX_DELAY_MS);

function transportFor(settings: MailSettings) {
  return nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
}

/** The mail of the recent months not sent yet: older ones were given up long before (MAX_ATTEMPTS spans hours, not months). */
async function loadWaiting(): Promise<void> {
  const month = monthOf(chinaDay(new Date()));
  for (const name of [outboxOfMonth(previousMonth(month)), outboxOfMonth(month)]) {
    for await (const mail of outboxCollection(name).find({ state: { $ne: 'sent' } }, { projection: { state: 1, attempts: 1, nextAttemptAt: 1, lastError: 1 } })) {
      if (mail.state === 'failed') {
        failures.count++;
        continue;
      }
      waiting.set(mail._id, { collection: name, attempts: mail.attempts, due: mail.nextAttemptAt.getTime() });
    }
  }
}

export interface MailSender {
  stop(): Promise<void>;
}

/** Starts the loop that sends queued mail; `firstRetryMs` is the delay before the first retry. */
export async function startMailSender(options: { firstRetryMs: number }): Promise<MailSender> {
  await loadWaiting();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let transport: ReturnType<typeof transportFor> | undefined;
  let transportOf: MailSettings | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
      timer = setTimeout(resolve, ms);
    });

  /** Tries one mail; false when the server did not take it. */
  const send = async (id: string, mail: Waiting, settings: MailSettings): Promise<boolean> => {
    if (transportOf !== settings) {
      transport?.close();
      transport = transportFor(settings);
      transportOf = settings;
    }
    const outbox = outboxCollection(mail.collection);
    const stored = await outbox.findOne({ _id: id });
    if (!stored || stored.state !== 'pending') {
      waiting.delete(id);
      return true;
    }
    try {
      await transport!.sendMail({ from: settings.from, to: stored.to, subject: stored.subject, text: stored.text });
    } catch (error) {
      mail.attempts++;
      const lastError = (error instanceof Error ? error.message : String(error)).slice(0, ERROR_CHARS);
      const givenUp = mail.attempts >= MAX_ATTEMPTS;
      mail.due = Date.now() + delayAfter(mail.attempts, options.firstRetryMs);
      failures.last = { at: new Date(), error: lastError };
      if (givenUp) {
        waiting.delete(id);
        failures.count++;
      }
      logger.warn({ mail: id, attempts: mail.attempts, givenUp, error: lastError }, 'mail not sent');
      await outbox.updateOne({ _id: id }, { $set: { attempts: mail.attempts, lastError, nextAttemptAt: new Date(mail.due), ...(givenUp ? { state: 'failed' as const } : {}) } });
      return false;
    }
    waiting.delete(id);
    await outbox.updateOne({ _id: id }, { $set: { state: 'sent', sentAt: new Date(), attempts: mail.attempts + 1 } });
    return true;
  };

  /** The mail due first: usually the oldest queued, which is due at once. */
  const nextDue = (): [string, Waiting] | undefined => {
    let first: [string, Waiting] | undefined;
    const now = Date.now();
    for (const entry of waiting) {
      if (entry[1].due <= now) return entry;
      if (!first || entry[1].due < first[1].due) first = entry;
    }
    return first;
  };

  // After a failure the loop waits before trying any mail, so a server that is down is not asked for each of them in turn.
  let failedInARow = 0;
  const loop = async () => {
    while (!stopped) {
      const settings = mailSettings();
      const next = nextDue();
      if (!settings || !next) {
        await pause(MAX_DELAY_MS);
        continue;
      }
      const [id, mail] = next;
      if (mail.due > Date.now()) {
        await pause(mail.due - Date.now());
        continue;
      }
      try {
        failedInARow = (await send(id, mail, settings)) ? 0 : failedInARow + 1;
      } catch (error) {
        // The database did not answer: the mail stays as it was, and is tried again a little later.
        mail.due = Date.now() + options.firstRetryMs;
        failedInARow++;
        logger.warn({ err: error, mail: id }, 'outbox not updated');
      }
      if (failedInARow) await pause(delayAfter(failedInARow, options.firstRetryMs));
    }
  };
  const running = loop();

  return {
    async stop() {
      stopped = true;
      wake();
      // A mail being handed to a slow server is cut off rather than holding up the shutdown; it stays queued.
      await Promise.race([running, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
      transport?.close();
    },
  };
}
