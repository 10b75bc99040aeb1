import mongoose from 'mongoose';

const {
  MongoClientClosedError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  MongoUnexpectedServerResponseError,
} = mongoose.mongo;

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: number }).code === 11000;
}

/**
 * The positions of the documents an unordered `insertMany` of `size` documents found already there, when those are
 * its only failures (every other document is stored now); undefined for any other failure. A connection lost
 * mid-insert also comes as a bulk write error, with no write errors at all: nothing is known then.
 */
export function duplicatesOnly(error: unknown, size: number): Set<number> | undefined {
  const { writeErrors, insertedCount } = error as { writeErrors?: unknown; insertedCount?: number };
  if (!Array.isArray(writeErrors) || writeErrors.length === 0 || !writeErrors.every(isDuplicateKey)) return undefined;
  if (insertedCount === undefined || insertedCount + writeErrors.length !== size) return undefined;
  return new Set(writeErrors.map((e: { index: number }) => e.index));
}

/**
 * The driver's network errors include a pool cleared under a waiting request
 * (PoolClearedOnNetworkError) and socket timeouts; an unexpected answer is one
 * that does not fit its request.
 */
const UNAVAILABLE_CLASSES = [
  MongoNetworkError,
  MongoServerSelectionError,
  MongoNotConnectedError,
  MongoTopologyClosedError,
  MongoServerClosedError,
  MongoClientClosedError,
  MongoOperationTimeoutError,
  MongoUnexpectedServerResponseError,
];

/** Driver errors the driver does not export, and mongoose's own for a connection that fails. */
const UNAVAILABLE_NAMES = new Set(['MongoPoolClosedError', 'MongoWaitQueueTimeoutError', 'MongooseServerSelectionError']);

/**
 * Server answers that mean "not now" rather than "not this": host unreachable or not found,
 * network timeout, shutdown in progress, time limit exceeded, primary stepped down, socket
 * error, not primary, interrupted at shutdown or by a state change.
 */
const UNAVAILABLE_CODES = new Set([6, 7, 50, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

/** FerretDB's SQLite backend answers a lock it waited for in vain as an internal error with this text. */
const SQLITE_BUSY = /SQLITE_BUSY|database is locked/;

/**
 * Socket errors the driver sometimes lets through unwrapped, e.g. a write on a connection the database
 * closed as it was killed ("This socket has been ended by the other party", EPIPE).
 */
const SOCKET_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT']);

/** Errors that mean the database cannot answer right now, as opposed to a bad query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (SOCKET_CODES.has((error as NodeJS.ErrnoException).code ?? '')) return true;
  if (UNAVAILABLE_CLASSES.some((kind) => error instanceof kind) || UNAVAILABLE_NAMES.has(error.name)) return true;
  if (error instanceof MongoServerError) return UNAVAILABLE_CODES.has(Number(error.code)) || SQLITE_BUSY.test(error.message);
  // Mongoose refusing an operation while it is not connected (bufferCommands is off).
  return /Client must be connected|connection .* closed|buffering timed out|before initial connection/i.test(error.message);
}
