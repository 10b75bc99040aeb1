/**
 * One service process per database. The service answers lists and reports
 * from memory (src/projects/catalogue.ts) and serialises each project's
 * changes in-process, so a second process on the same database would serve
 * stale lists and, on the embedded database, could let two changes of one
 * project both win. The running service therefore holds a lease in the
 * database, renewed every few seconds; another process refuses to start while
 * it is held, and tools that write refuse to run (README, "Deployments").
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import mongoose from 'mongoose';
import { isDuplicateKey } from '../shared/mongo-errors';

const RENEW_EVERY_MS = 5_000;
/** A lease not renewed for this long belongs to a process that is gone (or frozen). */
const EXPIRES_AFTER_MS = 30_000;
const LEASE_ID = 'service';

interface LeaseDoc {
  _id: string;
  holder: string;
  host: string;
  pid: number;
  renewedAt: Date;
}

/** Live state of a running process: never backed up or restored. */
export const LEASE_COLLECTION = 'service_leases';

const leases = () => mongoose.connection.collection<LeaseDoc>(LEASE_COLLECTION);

function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Whether the lease belongs to nobody alive: expired, or held by a process of this machine that no longer exists. */
export function isStale(lease: LeaseDoc, now = Date.now()): boolean {
  return now - lease.renewedAt.getTime() > EXPIRES_AFTER_MS || (lease.host === os.hostname() && processIsGone(lease.pid));
}

export class LeaseHeldError extends Error {
  constructor(lease: LeaseDoc) {
    super(
      `另一个服务进程（${lease.host}，进程号 ${lease.pid}）正在使用这个数据库，最近一次确认于 ${lease.renewedAt.toISOString()}。` +
        '一个数据库只能由一个服务进程使用：请先停止它，或为本进程使用另一个数据库（DATA_DIR 或 MONGODB_URI）。\n' +
        `Another service process (${lease.host}, pid ${lease.pid}) holds this database; stop it first.`,
    );
    this.name = 'LeaseHeldError';
  }
}

/** The lease of the running service, if one holds the database now. */
export async function currentLease(): Promise<LeaseDoc | undefined> {
  const lease = await leases().findOne({ _id: LEASE_ID });
  return lease && !isStale(lease) ? lease : undefined;
}

export interface HeldLease {
  release(): Promise<void>;
}

/**
 * Takes the lease or throws LeaseHeldError. `onLost` runs if another process
 * took it over meanwhile (this one was frozen past expiry): the caller must stop.
 */
export async function acquireServiceLease(onLost: () => void): Promise<HeldLease> {
  const mine: LeaseDoc = { _id: LEASE_ID, holder: randomUUID(), host: os.hostname(), pid: process.pid, renewedAt: new Date() };
  try {
    await leases().insertOne(mine);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const held = await leases().findOne({ _id: LEASE_ID });
    if (held && !isStale(held)) throw new LeaseHeldError(held);
    const { matchedCount } = await leases().updateOne({ _id: LEASE_ID, holder: held?.holder }, { $set: { ...mine } });
    if (matchedCount === 0) throw new LeaseHeldError((await leases().findOne({ _id: LEASE_ID })) ?? mine);
  }
  const timer = setInterval(() => {
    leases()
      .updateOne({ _id: LEASE_ID, holder: mine.holder }, { $set: { renewedAt: new Date() } })
      .then(({ matchedCount }) => {
        if (matchedCount === 0) {
          clearInterval(timer);
          onLost();
        }
      })
      // The database is away for a moment; the supervisor restarts it and the next renewal goes through.
      .catch(() => undefined);
  }, RENEW_EVERY_MS);
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await leases().deleteOne({ _id: LEASE_ID, holder: mine.holder }).catch(() => undefined);
    },
  };
}
