/**
 * Runs a `mongod` found on PATH as a child process on a free loopback port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import mongoose from 'mongoose';
import { exited, freePort, onLines, seconds, Tail, terminate, unrefChild } from './child-process';
import type { DatabaseOptions, RunningDatabase } from './database-types';

const READY_TIMEOUT_MS = 60_000;
const KILL_AFTER_MS = 30_000;
const PORT_ATTEMPTS = 3;

export async function startMongod(mongodPath: string, opts: DatabaseOptions): Promise<RunningDatabase> {
  const dbPath = path.resolve(opts.dataDir, 'mongod');
  await mkdir(dbPath, { recursive: true });
  opts.log(`启动 mongod / starting mongod: ${mongodPath} (dbpath ${dbPath})`);
  const started = Date.now();

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const tail = new Tail();
    const child = spawn(mongodPath, ['--dbpath', dbPath, '--bind_ip', '127.0.0.1', '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid) opts.onProcess?.(child.pid);
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    // mongod logs one JSON document per line on stdout; pass on errors only.
    onLines(child.stdout!, (line) => {
      tail.push(line);
      if (/"s":"(E|F)"/.test(line)) opts.log(`[mongod] ${line}`);
    });
    onLines(child.stderr!, (line) => {
      tail.push(line);
      opts.log(`[mongod] ${line}`);
    });

    const uri = `mongodb://127.0.0.1:${port}/`;
    const outcome = await Promise.race([
      waitUntilReady(uri, child),
      spawnError.then((err) => ({ error: err })),
    ]);
    if (outcome === 'ready') {
      opts.log(`mongod 已就绪 / mongod ready at ${uri} (${seconds(Date.now() - started)})`);
      return running(child, uri, opts);
    }

    await terminate(child, 1000);
    const portTaken = /address already in use/i.test(tail.toString());
    if (portTaken && attempt < PORT_ATTEMPTS) continue;
    const why =
      outcome === 'exited'
        ? `mongod 退出 / mongod exited (code ${child.exitCode ?? child.signalCode})`
        : outcome === 'timeout'
          ? `mongod 在 ${READY_TIMEOUT_MS / 1000} 秒内未就绪 / mongod not ready within ${READY_TIMEOUT_MS / 1000} s`
          : `无法启动 mongod / cannot start mongod: ${outcome.error.message}`;
    throw new Error(`${why}\n${tail.toString()}`);
  }
}

/** Pings until mongod answers, the child exits, or the time is up. */
async function waitUntilReady(uri: string, child: ChildProcess): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let gone = false;
  void exited(child).then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) return 'exited';
    const client = new mongoose.mongo.MongoClient(uri, {
      directConnection: true,
      serverSelectionTimeoutMS: 500,
      connectTimeoutMS: 500,
    });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return 'ready';
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  return gone ? 'exited' : 'timeout';
}

function running(child: ChildProcess, uri: string, opts: DatabaseOptions): RunningDatabase {
  let stopping: Promise<void> | undefined;
  // mongod does not watch its stdin, so stop it when Node exits without stop().
  const onExit = () => {
    child.kill('SIGTERM');
  };
  process.once('exit', onExit);
  child.once('exit', (code, signal) => {
    process.removeListener('exit', onExit);
    if (!stopping) opts.log(`[mongod] 意外退出 / exited unexpectedly (${code ?? signal})`);
  });
  unrefChild(child);

  return {
    uri,
    kind: 'mongod',
    stop() {
      stopping ??= (async () => {
        await terminate(child, KILL_AFTER_MS);
        process.removeListener('exit', onExit);
        opts.log('mongod 已停止 / mongod stopped');
      })();
      return stopping;
    },
  };
}
