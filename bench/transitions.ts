/**
 * Workflow transitions per second through HTTP against the raw driver's conditional
 * update on the same database in the same run (issue 3, "Benchmark").
 *
 * Each of the 16 concurrent loops owns one project, so no update conflicts. The event
 * is RECORD_PROGRESS by staff, a self-loop of `implementation`, so a project takes any
 * number of them. The raw loops write what `commitProjectChange` writes for that event
 * (the workflow record with the new report, stage, `version + 1`, the history entry),
 * conditional on the version, and read the updated document back as it does.
 */
import mongoose, { Types } from 'mongoose';
import type { CurrentUser } from '../src/shared/current-user';
import { historyEntry } from '../src/projects/history';
import { Project, type ProjectDoc } from '../src/projects/project.model';
import { startTestService } from '../test/support/server';
import type { ApiClient } from '../test/support/client';
import { adminClient, bringTo, createOrganisation, createProject, signedInUser } from '../test/support/fixtures';
import { expectStatus, loopbackOnly } from './support/api';
import { runLoad, type LoadResult } from './support/concurrency';
import { childrenMentioning, cpuMeter } from './support/cpu';
import { fixed, type Benchmark } from './support/report';

const WORKERS = 16;
const RAW_COLLECTION = 'bench_raw_projects';
const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 10) * 1000;
const WARM_UP_MS = 2000;
const GOAL_RATIO = 0.5;
const GOAL_P99_MS = 50;

interface Target {
  id: string;
  version: number;
}

interface RawTarget extends Target {
  record: Pick<ProjectDoc, 'applications' | 'approval' | 'issuances' | 'disbursements' | 'progress'>;
}

let reports = 0;
const progressReport = () => ({ percent: reports % 101, note: `管网铺设进展第 ${++reports} 次报告` });

const driverCollection = (name: string) => mongoose.connection.db!.collection(name);
type Collection = ReturnType<typeof driverCollection>;

/**
 * The raw loops' projects: copies of the ones made through the API, in a collection of
 * their own with the same indexes. FerretDB scans a collection for a filter other than
 * `_id` alone, so each path must scan only its own documents, not the other's growth.
 */
async function rawCopies(sources: ProjectDoc[]): Promise<Collection> {
  const collection = driverCollection(RAW_COLLECTION);
  const indexes = (await driverCollection(Project.collection.name).listIndexes().toArray()).filter((index) => index.name !== '_id_');
  await collection.createIndexes(indexes.map(({ key, name }) => ({ key, name })));
  await collection.insertMany(sources.map((source) => ({ ...source })));
  return collection;
}

function viaHttp(staff: ApiClient[], projects: Target[]) {
  return async (worker: number) => {
    const project = projects[worker]!;
    const res = await staff[worker]!.post(`/api/projects/${project.id}/events`, {
      type: 'RECORD_PROGRESS',
      expectedVersion: project.version,
      data: progressReport(),
    });
    project.version = expectStatus(res, 200, 'RECORD_PROGRESS').project.version;
  };
}

function viaDriver(actor: CurrentUser, collection: Collection, projects: RawTarget[]) {
  return async (worker: number) => {
    const project = projects[worker]!;
    const data = progressReport();
    const entry = historyEntry(actor, 'RECORD_PROGRESS', { from: 'implementation', to: 'implementation', data });
    const progress = [...project.record.progress!, { ...data, date: entry.at.toISOString().slice(0, 10) }];
    const updated = await collection.findOneAndUpdate(
      { _id: new Types.ObjectId(project.id), version: project.version },
      { $set: { ...project.record, progress, stage: 'implementation', updatedAt: entry.at }, $inc: { version: 1 }, $push: { history: entry } as never },
      { returnDocument: 'after' },
    );
    if (!updated) throw new Error(`raw update of ${project.id} at version ${project.version} matched nothing`);
    project.version = updated.version;
    project.record.progress = progress;
  };
}

async function versionSum(collection: Collection, targets: Target[]): Promise<number> {
  const ids = targets.map((t) => new Types.ObjectId(t.id));
  const docs = await collection.find({ _id: { $in: ids } }, { projection: { version: 1 } }).toArray();
  return docs.reduce((sum, d) => sum + (d.version as number), 0);
}

interface Measured extends LoadResult {
  /** CPU milliseconds per transition, of this process and of the database processes. */
  cpuMs: { node: number; database: number };
}

/** Runs warm-up and measurement, then checks that every reported transition was recorded once. */
async function measure(collection: Collection, targets: Target[], databasePids: number[], operation: (worker: number) => Promise<void>): Promise<Measured> {
  const before = await versionSum(collection, targets);
  const warmUp = await runLoad({ workers: WORKERS, durationMs: WARM_UP_MS }, operation);
  const cpu = cpuMeter(databasePids);
  const result = await runLoad({ workers: WORKERS, durationMs: MEASURE_MS }, operation);
  const used = cpu();
  const landed = (await versionSum(collection, targets)) - before;
  if (landed !== warmUp.operations + result.operations) {
    throw new Error(`${warmUp.operations + result.operations} transitions reported but ${landed} recorded`);
  }
  const perOperation = (seconds: number) => (seconds * 1000) / result.operations;
  return { ...result, cpuMs: { node: perOperation(used.self), database: databasePids.length ? perOperation(used.others) : Number.NaN } };
}

export const benchmark: Benchmark = {
  title: `RECORD_PROGRESS transitions, ${WORKERS} concurrent loops: HTTP vs the raw driver's conditional findOneAndUpdate`,
  async run(progress) {
    progress('starting the service on a fresh database');
    const service = await startTestService();
    try {
      const admin = await adminClient(loopbackOnly(service.url));
      const owner = (await signedInUser(admin, 'owner', await createOrganisation(admin))).client;
      const staff = (await Promise.all(Array.from({ length: WORKERS }, () => signedInUser(admin, 'staff')))).map((user) => user.client);

      progress(`carrying ${WORKERS} projects to implementation through the API`);
      const walked = await Promise.all(staff.map(async (client) => bringTo({ owner, staff: client }, await createProject(owner), 'implementation')));
      const sources = await Promise.all(walked.map((p: Target) => Project.findById(p.id).lean<ProjectDoc>().orFail()));
      const rawCollection = await rawCopies(sources);
      const httpProjects: Target[] = sources.map((d) => ({ id: d._id.toString(), version: d.version }));
      const rawProjects: RawTarget[] = sources.map((d) => ({
        id: d._id.toString(),
        version: d.version,
        record: { applications: d.applications, approval: d.approval, issuances: d.issuances, disbursements: d.disbursements, progress: d.progress ?? [] },
      }));

      const databasePids = childrenMentioning(service.settings.dataDir);
      progress(`raw driver: ${WARM_UP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s measured`);
      const rawResult = await measure(rawCollection, rawProjects, databasePids, viaDriver(staff[0]!.user as CurrentUser, rawCollection, rawProjects));
      progress(`HTTP: ${WARM_UP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s measured`);
      const httpResult = await measure(driverCollection(Project.collection.name), httpProjects, databasePids, viaHttp(staff, httpProjects));

      const ratio = httpResult.perSecond / rawResult.perSecond;
      const row = (path: string, r: Measured) => [
        path,
        fixed(r.perSecond),
        fixed(r.latency.p50, 2),
        fixed(r.latency.p99, 2),
        fixed(r.latency.max, 2),
        r.operations,
        fixed(r.cpuMs.node, 2),
        fixed(r.cpuMs.database, 2),
      ];
      return {
        columns: ['path', 'transitions/s', 'p50 ms', 'p99 ms', 'max ms', 'operations', 'node CPU ms/op', 'db CPU ms/op'],
        rows: [row('HTTP POST /api/projects/:id/events', httpResult), row('raw driver findOneAndUpdate', rawResult)],
        goals: [
          { name: 'throughput HTTP/raw', target: `≥ ${GOAL_RATIO}`, actual: fixed(ratio, 2), met: ratio >= GOAL_RATIO },
          { name: 'HTTP p99 latency', target: `< ${GOAL_P99_MS} ms`, actual: `${fixed(httpResult.latency.p99, 2)} ms`, met: httpResult.latency.p99 < GOAL_P99_MS },
        ],
        notes: [
          `database: ${service.database.kind}; ${WORKERS} loops, one project each, per path; ${MEASURE_MS / 1000} s each after ${WARM_UP_MS / 1000} s warm-up; service in this process`,
          'CPU ms/op is independent of other load on the machine; node CPU of the HTTP path includes its in-process client (fetch, JSON)',
        ],
      };
    } finally {
      await service.stop();
    }
  },
};
