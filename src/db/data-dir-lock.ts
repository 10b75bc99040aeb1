/**
 * One process at a time may start a database on DATA_DIR: two FerretDB (or mongod) processes on the same
 * files corrupt them. The process that starts it holds a lock on the folder for as long as the database
 * runs, the supervisor's restarts included, and records who it is and where its database listens, so that
 * read-only tools can use a running service's database instead of starting a second one.
 *
 * The lock is proper-lockfile's: a folder whose time stamp its holder refreshes every UPDATE_MS. A lock
 * not refreshed for STALE_MS belongs to a process that is gone (SIGKILL, power cut) and is taken over, so
 * a dead holder blocks nobody for longer than that.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';

const LOCK_DIR = 'lock';
const HOLDER_FILE = 'lock-holder.json';
const STALE_MS = 10_000;
const UPDATE_MS = 2_000;
/** A database process outlives its parent only until it reads EOF on stdin; longer means it is not ours to wait for. */
const LEFTOVER_EXIT_MS = 10_000;
const POLL_MS = 250;

export interface DataDirHolder {
  pid: number;
  host: string;
  /** What holds the folder, as the refusals name it: the service, or a command. */
  name: string;
  /** Whether read-only tools may use this holder's database while it runs (only the service's lives long enough). */
  shared: boolean;
  startedAt: string;
  /** Where its database listens, once it does. */
  uri?: string;
  kind?: string;
  /** The database process it runs now; one left behind by a holder that died must exit before another starts. */
  databasePid?: number;
}

/** DATA_DIR is held by another process; the message names it and says what to do. */
export class DataDirBusyError extends Error {
  override name = 'DataDirBusyError';
}

export interface DataDirLock {
  /** Adds to the record that other processes read. */
  record(fields: Pick<DataDirHolder, 'uri' | 'kind' | 'databasePid'>): void;
  release(): Promise<void>;
}

const lockOptions = (dataDir: string) => ({ lockfilePath: path.join(dataDir, LOCK_DIR), stale: STALE_MS, realpath: false });

function readHolder(dataDir: string): DataDirHolder | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dataDir, HOLDER_FILE), 'utf8')) as DataDirHolder;
  } catch {
    return undefined;
  }
}

function writeHolder(dataDir: string, holder: DataDirHolder): void {
  const file = path.join(dataDir, HOLDER_FILE);
  // Through a rename, so a reader never sees half a record.
  writeFileSync(`${file}.${process.pid}`, JSON.stringify(holder));
  renameSync(`${file}.${process.pid}`, file);
}

/** Whether `pid` is a live process; a zombie is not (it waits only for a parent to collect its exit status). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Only a process on this machine can be seen to be gone; one elsewhere (a shared disk) is taken to be running. */
const isGone = (pid: number, host: string) => host === os.hostname() && !isRunning(pid);

function busyMessage(dataDir: string, holder: DataDirHolder | undefined): string {
  const who = holder
    ? `${holder.name}（进程 ${holder.pid}${holder.host === os.hostname() ? '' : `，主机 ${holder.host}`}，${holder.startedAt} 起）`
    : '另一个进程';
  return `数据目录 ${dataDir} 正被${who}使用：同一数据目录同时只能由一个进程启动数据库。请先停止它（或等它结束）再试。`;
}

/** The live holder of `dataDir`, if there is one and its record can be read. */
export async function liveHolder(dataDir: string): Promise<DataDirHolder | undefined> {
  if (!(await lockfile.check(dataDir, lockOptions(dataDir)).catch(() => false))) return undefined;
  const holder = readHolder(dataDir);
  return holder && !isGone(holder.pid, holder.host) ? holder : undefined;
}

/**
 * Takes `dataDir` for this process, or throws DataDirBusyError. A holder that is gone is waited for until
 * its lock is stale; a database process it left behind, until it has exited. `onCompromised` is called if
 * the lock is ever taken away (this process stalled for longer than STALE_MS and another took over).
 */
export async function lockDataDir(
  dataDir: string,
  who: Pick<DataDirHolder, 'name' | 'shared'>,
  opts: { log: (msg: string) => void; onCompromised: (error: Error) => void },
): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const deadline = Date.now() + STALE_MS + UPDATE_MS;
  let unlock: () => Promise<void>;
  for (let waiting = false; ; waiting = true) {
    try {
      unlock = await lockfile.lock(dataDir, { ...lockOptions(dataDir), update: UPDATE_MS, onCompromised: opts.onCompromised });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const holder = readHolder(dataDir);
      if (!holder || !isGone(holder.pid, holder.host) || Date.now() > deadline) throw new DataDirBusyError(busyMessage(dataDir, holder));
      if (!waiting) opts.log(`上次持有数据目录的进程 ${holder.pid} 已退出，等待它的锁过期（至多 ${STALE_MS / 1000} 秒）`);
      await sleep(POLL_MS);
    }
  }

  const previous = readHolder(dataDir);
  if (previous?.databasePid && previous.host === os.hostname()) {
    const leftover = previous.databasePid;
    for (const until = Date.now() + LEFTOVER_EXIT_MS; isRunning(leftover) && Date.now() < until; ) await sleep(POLL_MS);
    if (isRunning(leftover)) {
      await unlock();
      throw new DataDirBusyError(
        `数据目录 ${dataDir} 上仍有上次留下的数据库进程 ${leftover} 在运行。请确认它已不再使用后结束它，再试。`,
      );
    }
  }

  let holder: DataDirHolder = { pid: process.pid, host: os.hostname(), ...who, startedAt: new Date().toISOString() };
  writeHolder(dataDir, holder);
  let released = false;
  return {
    record(fields) {
      if (released) return;
      holder = { ...holder, ...fields };
      writeHolder(dataDir, holder);
    },
    async release() {
      if (released) return;
      released = true;
      // The record goes first: a record without a lock is ignored, a lock without a record refuses everyone.
      rmSync(path.join(dataDir, HOLDER_FILE), { force: true });
      // A compromised lock has already been given up.
      await unlock().catch(() => undefined);
    },
  };
}
