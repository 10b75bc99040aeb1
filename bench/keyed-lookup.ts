/**
 * Keyed look-ups on the embedded FerretDB: findOne and updateOne by `_id` at 1,000 and
 * 10,000 documents of about 2 KB, with the launcher's `_id` look-up index beside the same
 * launcher started with `-id-index=false` (FerretDB 1.24 as it is: every look-up reads the
 * whole table), in the same run. Each side is its own FerretDB on its own temporary folder,
 * measured one after the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { onLines, terminate } from '../src/db/child-process';
import { ensureLauncher } from '../src/db/ferretdb';
import { runLoad, type LoadResult } from './support/concurrency';
import { fixed, type Benchmark } from './support/report';

const SIZES = [1_000, 10_000];
const COLLECTION = 'lookups';
/** Timed phases of one operation at one size; the slow side stops at the count first. */
const MEASURE_MS = (Number(process.env.BENCH_SECONDS ?? 10) * 1000) / 4;
const MAX_OPERATIONS = 500;
const WARM_UP_OPERATIONS = 20;
const INSERT_BATCH = 500;
/** With the index, a look-up at 10,000 documents may cost at most this much more than at 1,000. */
const GOAL_GROWTH = 2;
const INDEX_WAIT_MS = 30_000;

const { MongoClient, ObjectId } = mongoose.mongo;
type ObjectIdType = InstanceType<typeof ObjectId>;

interface Side {
  name: string;
  child: ChildProcess;
  client: InstanceType<typeof MongoClient>;
  ids: ObjectIdType[];
  /** Resolves once the launcher has logged the look-up index of the collection's table. */
  indexed: Promise<void>;
  dir: string;
}

async function startSide(binary: string, name: string, idIndex: boolean): Promise<Side> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fundflow-keyed-lookup-'));
  const child = spawn(binary, ['-listen', '127.0.0.1:0', '-dir', dir, '-log-level', 'info', `-id-index=${idIndex}`], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const indexed = new Promise<void>((resolve) => {
    onLines(child.stderr!, (line) => {
      if (line.includes('Created _id look-up index') && line.includes(`"table":"${COLLECTION}_`)) resolve();
    });
  });
  const uri = await new Promise<string>((resolve, reject) => {
    onLines(child.stdout!, (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`launcher exited (${code}) before printing its URI`)));
  });
  const client = await new MongoClient(uri).connect();
  return { name, child, client, ids: [], indexed, dir };
}

async function stopSide(side: Side): Promise<void> {
  await side.client.close();
  await terminate(side.child, 5_000);
  await rm(side.dir, { recursive: true, force: true });
}

/** Adds documents until the collection holds `total`: project-like fields and about 2 KB of text. */
async function fillTo(side: Side, total: number): Promise<void> {
  const collection = side.client.db('bench').collection(COLLECTION);
  while (side.ids.length < total) {
    const batch = Array.from({ length: Math.min(INSERT_BATCH, total - side.ids.length) }, (_, i) => {
      const n = side.ids.length + i;
      return { _id: new ObjectId(), name: `城市更新项目 ${n}`, stage: 'reserve', version: 1, notes: '项目概况'.repeat(170) };
    });
    await collection.insertMany(batch);
    side.ids.push(...batch.map((doc) => doc._id));
  }
}

function randomId(side: Side): ObjectIdType {
  return side.ids[Math.floor(Math.random() * side.ids.length)]!;
}

async function measure(side: Side, operation: () => Promise<void>): Promise<LoadResult> {
  await runLoad({ workers: 1, durationMs: MEASURE_MS, maxOperations: WARM_UP_OPERATIONS }, operation);
  return runLoad({ workers: 1, durationMs: MEASURE_MS, maxOperations: MAX_OPERATIONS }, operation);
}

const operations = {
  'findOne by _id': (side: Side) => async () => {
    const id = randomId(side);
    const doc = await side.client.db('bench').collection(COLLECTION).findOne({ _id: id });
    if (!doc?._id.equals(id)) throw new Error(`findOne(${id.toHexString()}) on ${side.name} answered ${doc?._id}`);
  },
  'updateOne by _id': (side: Side) => async () => {
    const result = await side.client.db('bench').collection(COLLECTION).updateOne({ _id: randomId(side) }, { $inc: { version: 1 } });
    if (result.modifiedCount !== 1) throw new Error(`updateOne on ${side.name} modified ${result.modifiedCount} documents`);
  },
};
type Operation = keyof typeof operations;

export const benchmark: Benchmark = {
  title: 'findOne/updateOne by _id on the embedded FerretDB: with the launcher\'s _id look-up index vs FerretDB 1.24 alone',
  async run(progress) {
    const binary = await ensureLauncher({ dataDir: os.tmpdir(), log: progress });
    if (!binary) throw new Error('no FerretDB launcher: install Go 1.24+ (see README, Database)');
    const sides: Side[] = [];
    const results = new Map<string, LoadResult>();
    const key = (side: string, size: number, name: Operation) => `${side}|${size}|${name}`;
    const names = Object.keys(operations) as Operation[];
    try {
      sides.push(await startSide(binary, 'with index', true), await startSide(binary, 'without', false));
      for (const size of SIZES) {
        for (const side of sides) {
          progress(`${side.name}: filling to ${size} documents`);
          await fillTo(side, size);
          if (side === sides[0]) {
            const late = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no look-up index within 30 s')), INDEX_WAIT_MS).unref());
            await Promise.race([side.indexed, late]);
          }
          for (const name of names) {
            progress(`${side.name}, ${size} documents: ${name}`);
            results.set(key(side.name, size, name), await measure(side, operations[name](side)));
          }
        }
      }

      const result = (side: string, size: number, name: Operation) => results.get(key(side, size, name))!;
      const rows = SIZES.flatMap((size) =>
        names.map((name) => {
          const a = result('with index', size, name);
          const b = result('without', size, name);
          return [name, size, fixed(a.latency.p50, 2), fixed(b.latency.p50, 2), `${fixed(b.latency.p50 / a.latency.p50)}×`, fixed(a.latency.p99, 2), fixed(b.latency.p99, 2), `${a.operations}/${b.operations}`];
        }),
      );
      const growth = (name: Operation) => result('with index', SIZES[1]!, name).latency.p50 / result('with index', SIZES[0]!, name).latency.p50;
      return {
        columns: ['operation', 'documents', 'p50 ms, index', 'p50 ms, without', 'without/index', 'p99 ms, index', 'p99 ms, without', 'operations'],
        rows,
        goals: names.map((name) => ({
          name: `${name} with the index, p50 at ${SIZES[1]} / at ${SIZES[0]}`,
          target: `≤ ${GOAL_GROWTH}`,
          actual: fixed(growth(name), 2),
          met: growth(name) <= GOAL_GROWTH,
        })),
        notes: [
          'one client, one operation at a time, random _id (ObjectId) among the documents; documents of about 2 KB',
          `each cell: ${WARM_UP_OPERATIONS} warm-up operations, then up to ${MAX_OPERATIONS} or ${MEASURE_MS / 1000} s, whichever comes first`,
        ],
      };
    } finally {
      await Promise.all(sides.map(stopSide));
    }
  },
};
