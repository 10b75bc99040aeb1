/**
 * The service as its own process (`node --import tsx src/main.ts`), for tests that
 * cannot use the shared in-process service: other start-up settings, a restart on
 * the same data, or a database that goes away (mongoose is one per process).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../../src/config';
import { ADMIN } from './server';

export { repoRoot };

const START_TIMEOUT_MS = 120_000;
const KILL_AFTER_MS = 10_000;
const URL_LINE = /已启动：(http:\/\/\S+)/;

export interface ChildServerOptions {
  /** Reuse a work folder (data/ and uploads/ inside it), e.g. to restart on the same data. */
  workDir?: string;
  /** Extra environment, e.g. `{ LOGIN_FAILURES_PER_ADDRESS: '3' }`. */
  env?: Record<string, string>;
  /** Keep every output line that matches, for `collected()` (the tail of `output()` keeps only the last 40). */
  collect?: RegExp;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when SIGTERM was not enough and the child had to be killed. */
  forced: boolean;
}

export interface ChildServer {
  url: string;
  port: number;
  workDir: string;
  dataDir: string;
  process: ChildProcess;
  /** The last lines the child wrote, for failure messages. */
  output(): string;
  /** Every line so far that matched `collect`. */
  collected(): string[];
  /** SIGTERM, then SIGKILL after 10 s; keeps the work folder. */
  stop(): Promise<ChildExit>;
  /** Stops the child and removes the work folder (also one passed in `workDir`). */
  dispose(): Promise<void>;
  /** Pids of the database processes (FerretDB launcher or mongod) this child started. */
  databasePids(): Promise<number[]>;
  /** SIGKILLs the child's database and waits until it is gone; the service keeps running (and starts a new one). */
  killDatabase(): Promise<void>;
  /**
   * Keeps the database down: takes its folder away and SIGKILLs it, so that every restart the service tries fails,
   * until the returned function puts the folder back (the service's next try then succeeds).
   */
  keepDatabaseDown(): Promise<() => Promise<void>>;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export const newWorkDir = () => mkdtemp(path.join(os.tmpdir(), 'fundflow-child-'));

const running = new Set<ChildProcess>();
// Never leave a service behind when mocha exits early; its database follows it (stdin EOF).
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startChildServer(options: ChildServerOptions = {}): Promise<ChildServer> {
  const workDir = options.workDir ?? (await newWorkDir());
  const dataDir = path.join(workDir, 'data');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    // The child's own embedded database, so that it can be stopped alone.
    MONGODB_URI: '',
    DATA_DIR: dataDir,
    UPLOADS_DIR: path.join(workDir, 'uploads'),
    DEMO_DATA: 'false',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));

  const tail: string[] = [];
  const collected: string[] = [];
  const remember = (line: string) => {
    if (options.collect?.test(line)) collected.push(line);
    tail.push(line);
    if (tail.length > 40) tail.shift();
  };
  const output = () => tail.join('\n') || '(no output)';
  createInterface({ input: child.stderr! }).on('line', remember);

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`no URL line within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`child service did not start: ${why}\n${output()}`));
    };
    createInterface({ input: child.stdout! }).on('line', (line) => {
      remember(line);
      const match = URL_LINE.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal})`));
  });

  let stopping: Promise<ChildExit> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const done = exitOf(child);
      let forced = false;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const late = await Promise.race([
          done.then(() => false),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), KILL_AFTER_MS))),
        ]);
        clearTimeout(timer);
        if (late) {
          forced = true;
          child.kill('SIGKILL');
          await done;
        }
      }
      return { code: child.exitCode, signal: child.signalCode, forced };
    })());

  const databasePids = () => processesMentioning(dataDir, /^(ferretdb-launcher-|mongod)/);

  const killDatabase = async () => {
    const pids = await databasePids();
    if (pids.length === 0) throw new Error(`no database process found for ${dataDir}`);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    // Only the killed ones: the service starts a replacement of its own.
    while ((await databasePids()).some((pid) => pids.includes(pid))) {
      if (Date.now() > deadline) throw new Error(`database processes ${pids.join(', ')} did not go away`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  return {
    url,
    port,
    workDir,
    dataDir,
    process: child,
    output,
    collected: () => [...collected],
    stop,
    async dispose() {
      await stop();
      await rm(workDir, { recursive: true, force: true });
    },
    databasePids,
    killDatabase,
    async keepDatabaseDown() {
      const folder = path.join(dataDir, 'ferretdb');
      const away = `${folder}.away`;
      await rename(folder, away);
      // A file where the folder was: the launcher cannot create its folder there and exits at once.
      await writeFile(folder, '');
      await killDatabase();
      return async () => {
        await rm(folder, { force: true });
        await rename(away, folder);
      };
    },
  };
}

/** Live processes whose program name matches `program` and whose command line mentions `text` (Linux /proc). */
async function processesMentioning(text: string, program: RegExp): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    let state: string;
    try {
      argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0');
      state = await readFile(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // A killed child stays as a zombie until its parent reaps it: it no longer counts.
    if (/^\d+ \(.*\) Z/.test(state)) continue;
    if (program.test(path.basename(argv[0] ?? '')) && argv.some((arg) => arg.includes(text))) pids.push(Number(entry));
  }
  return pids;
}
