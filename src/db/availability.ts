import mongoose from 'mongoose';

/**
 * Whether the database answers, watched all the time: most requests are
 * answered from memory (the catalogue, recent projects, sessions), and a
 * service whose database is away must still say so at once (503) rather than
 * serve a screen it could not save from.
 */
const PING_EVERY_MS = 1_000;
const PING_TIMEOUT_MS = 1_500;

let answering = true;

export async function databaseAnswers(): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db || mongoose.connection.readyState !== mongoose.ConnectionStates.connected) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)));
  const ping = db.admin().ping().then(() => true, () => false);
  const answered = await Promise.race([ping, timeout]);
  clearTimeout(timer);
  return answered;
}

/** The last the watch found. */
export const databaseIsAnswering = (): boolean => answering;

/** Pings the database every second for as long as the process runs; returns a function that stops the watch. */
export function watchDatabase(): () => void {
  let stopped = false;
  const watch = async () => {
    answering = await databaseAnswers();
    if (!stopped) setTimeout(watch, PING_EVERY_MS).unref();
  };
  setTimeout(watch, PING_EVERY_MS).unref();
  return () => {
    stopped = true;
  };
}
