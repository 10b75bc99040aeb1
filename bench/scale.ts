/**
 * A bureau's size (issue "Fast at a real bureau's size"): N projects with
 * realistic histories and dossiers (bench/support/seed-projects.ts) on the
 * embedded database, the service started on them as its own process, then:
 * - every list, filter, page, figure, ledger and screen read over HTTP, median
 *   and p99, beside the same question answered by a plain loop over the same
 *   records in this process (the practical limit), as ours / limit;
 * - transitions at 100 per second offered by 16 clients (open loop), and the
 *   saturation throughput beside the raw driver's on the same data layout;
 * - start-up time and the service's resident memory.
 *
 *   npm run bench -- scale                 # N = 1,000, 10,000 and 100,000
 *   BENCH_SCALE=1000,10000 npm run bench -- scale
 */
import { readFile, rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import mongoose, { Types } from 'mongoose';
import { appliedInYear, hasSecuredInYear, securedInYear } from '../workflows/money';
import { rules } from '../workflows/rules-file';
import { reviewDeadline } from '../workflows/deadlines';
import { currentScheduleMonth } from '../workflows/schedule';
import { chinaDay } from '../workflows/working-days';
import { isReviewStage, type Stage } from '../workflows/vocabulary';
import { liveHolder } from '../src/db/data-dir-lock';
import { recordOf } from '../src/projects/catalogue';
import { type HistoryEntry, type ProjectDoc } from '../src/projects/project.model';
import { decodeProject, encodeHistoryEntry, encodeProject, type PackedHistoryEntry, type StoredProject } from '../src/projects/project-store';
import { decodeProblem, type StoredProblem } from '../src/problems/problem.model';
import { isOverdue, problemSummary, type ProblemState } from '../workflows/problems';
import { startChildServer, type ChildServer } from '../test/support/child-server';
import type { ApiClient } from '../test/support/client';
import { adminClient, signedInUser } from '../test/support/fixtures';
import { expectStatus, loopbackOnly } from './support/api';
import { runLoad } from './support/concurrency';
import { cpuSeconds } from './support/cpu';
import { fixed, type Benchmark, type Goal } from './support/report';
import { seedNotifications } from './support/seed-notifications';
import { seedWorkDir, type SeededProject } from './support/seed-projects';
import { summarise } from './support/stats';

const SIZES = (process.env.BENCH_SCALE ?? '1000,10000,100000').split(',').map(Number);
const SAMPLES = 40;
const CLIENTS = 16;
const OFFERED_PER_SECOND = 100;
const OPEN_LOOP_MS = Number(process.env.BENCH_SECONDS ?? 15) * 1000;
const SATURATION_MS = Number(process.env.BENCH_SECONDS ?? 10) * 1000;
const YEAR = new Date().getUTCFullYear();

/** The records a plain loop answers from: the same projects, as lean as the service's catalogue rows. */
interface Plain {
  id: string;
  orgId: string;
  field: string;
  name: string;
  stage: Stage;
  channel: ProjectDoc['channel'];
  updatedAt: number;
  stageEnteredAt: Date;
  record: ReturnType<typeof recordOf>;
  spells: ProjectDoc['trail']['reviewSpells'];
  schedule: ProjectDoc['schedule'];
  leaderId?: string;
}

/** The seeded problems, as lean as the service's rows of them. */
interface PlainProblem {
  id: string;
  projectId: string;
  state: ProblemState;
  dueDate?: string;
  raisedAt: number;
}

interface Call {
  name: string;
  path: (n: number) => string;
  as: 'staff' | 'leader' | 'owner';
  /** The same question as a plain loop over the records. */
  limit: (records: Plain[], byId: Map<string, Plain>, n: number, problems: PlainProblem[]) => unknown;
  /** Goal at 10,000 projects (ms, median); details have their own. */
  goalMs: number;
}

const newestFirst = (a: Plain, b: Plain) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1);
const page = (records: Plain[], keep: (p: Plain) => boolean, first = 0, size = 20) => records.filter(keep).sort(newestFirst).slice(first, first + size);

/** The month the scheduling screens are asked about: the last one whose reports are all in. */
const SCHEDULE_MONTH = currentScheduleMonth(chinaDay(new Date()), rules);
const SCHEDULE_YEAR = SCHEDULE_MONTH.slice(0, 4);
const completedThisYear = (p: Plain) =>
  Object.entries(p.schedule.months).reduce((total, [month, figures]) => (month.startsWith(SCHEDULE_YEAR) && month <= SCHEDULE_MONTH ? total + figures!.completed : total), 0);

const TODAY = chinaDay(new Date());
const newestRaised = (a: PlainProblem, b: PlainProblem) => b.raisedAt - a.raisedAt || (a.id < b.id ? 1 : -1);

/** Notifications seeded per project, spread over the staff clients: 40,000 at 10,000 projects, 2,500 of them the measured user's. */
const NOTIFICATIONS_PER_PROJECT = 4;

/** `mine`: the measured member of staff's notification ids, oldest first. */
function calls(seeded: SeededProject[], ownerOrg: string, reportingIds: string[], mine: string[]): Call[] {
  const pick = (n: number) => seeded[(n * 7919) % seeded.length]!.id;
  const leaderId = seeded.find((p) => p.leaderId)?.leaderId ?? '000000000000000000000000';
  const reporting = (n: number) => reportingIds[(n * 7919) % reportingIds.length]!;
  return [
    { name: 'list, first page', path: () => '/api/projects?limit=20', as: 'staff', limit: (r) => page(r, () => true), goalMs: 100 },
    { name: 'list, page 10', path: () => '/api/projects?limit=20&page=10', as: 'staff', limit: (r) => page(r, () => true, 180), goalMs: 100 },
    { name: 'list, stage + field', path: () => '/api/projects?stage=implementation&field=water&limit=20', as: 'staff', limit: (r) => page(r, (p) => p.stage === 'implementation' && p.field === 'water'), goalMs: 100 },
    { name: 'list, search by name', path: () => `/api/projects?q=${encodeURIComponent('供水')}&limit=20`, as: 'staff', limit: (r) => page(r, (p) => p.name.includes('供水')), goalMs: 100 },
    { name: 'list, an owner\'s own', path: () => '/api/projects?limit=20', as: 'owner', limit: (r) => page(r, (p) => p.orgId === ownerOrg), goalMs: 100 },
    { name: 'project detail', path: (n) => `/api/projects/${pick(n)}`, as: 'staff', limit: (_r, byId, n) => byId.get(pick(n)), goalMs: 50 },
    { name: 'staff queue (待办)', path: () => '/api/queue', as: 'staff', limit: (r) => r.filter((p) => isReviewStage(p.stage)).map((p) => reviewDeadline(p.stage, p.stageEnteredAt, new Date(), rules)), goalMs: 100 },
    {
      name: 'funds per year',
      path: () => `/api/stats/funds?from=${YEAR - 4}&to=${YEAR}`,
      as: 'leader',
      limit: (r) => {
        let total = 0;
        for (const p of r) for (let y = YEAR - 4; y <= YEAR; y++) total += (appliedInYear(p.record, y) ?? 0) + (hasSecuredInYear(p.channel, p.record, y) ? securedInYear(p.channel, p.record, y) : 0);
        return total;
      },
      goalMs: 100,
    },
    {
      name: 'funds drill-down',
      path: () => `/api/stats/funds/${YEAR - 1}/special_bond/projects?limit=50`,
      as: 'leader',
      limit: (r) => r.filter((p) => p.channel === 'special_bond' && securedInYear(p.channel, p.record, YEAR - 1) > 0).sort((a, b) => a.name.localeCompare(b.name)).slice(0, 50),
      goalMs: 100,
    },
    { name: 'pipeline', path: () => '/api/stats/pipeline', as: 'leader', limit: (r) => r.reduce((m, p) => m.set(p.stage, (m.get(p.stage) ?? 0) + 1), new Map()), goalMs: 100 },
    {
      name: 'summary paragraph',
      path: () => `/api/stats/summary?year=${YEAR}`,
      as: 'leader',
      limit: (r) => r.flatMap((p) => p.spells).filter((s) => reviewDeadline(s.stage, new Date(s.enteredAt), s.endedAt ? new Date(s.endedAt) : new Date(), rules)?.overdue).length,
      goalMs: 100,
    },
    { name: 'public hall board', path: () => '/api/public/board', as: 'leader', limit: (r) => r.filter((p) => p.schedule.plans[SCHEDULE_YEAR]).sort((a, b) => completedThisYear(a) - completedThisYear(b)).slice(0, 10), goalMs: 100 },
    {
      name: 'monthly scheduling figures',
      path: () => `/api/stats/schedule?month=${SCHEDULE_MONTH}`,
      as: 'leader',
      limit: (r) => r.filter((p) => p.schedule.plans[SCHEDULE_YEAR]).reduce((total, p) => total + completedThisYear(p), 0),
      goalMs: 100,
    },
    {
      name: 'who has reported (月报)',
      path: () => `/api/monthly-reports?month=${SCHEDULE_MONTH}&limit=20`,
      as: 'staff',
      limit: (r) => r.filter((p) => p.schedule.months[SCHEDULE_MONTH]).sort((a, b) => a.name.localeCompare(b.name)).slice(0, 20),
      goalMs: 100,
    },
    { name: 'a project\'s monthly reports of the year', path: (n) => `/api/projects/${reporting(n)}/monthly-reports?year=${SCHEDULE_YEAR}`, as: 'staff', limit: (_r, byId, n) => byId.get(reporting(n))?.schedule.months, goalMs: 50 },
    { name: 'list, a leader\'s projects (我包联的项目)', path: () => `/api/projects?leaderId=${leaderId}&limit=20`, as: 'staff', limit: (r) => page(r, (p) => p.leaderId === leaderId), goalMs: 100 },
    {
      name: 'problems, first page and the sentence',
      path: () => '/api/problems?limit=20',
      as: 'leader',
      limit: (_r, _byId, _n, problems) => ({ items: [...problems].sort(newestRaised).slice(0, 20), summary: problemSummary(problems) }),
      goalMs: 100,
    },
    {
      name: 'problems, a leader\'s overdue',
      path: () => `/api/problems?leaderId=${leaderId}&overdue=true&limit=20`,
      as: 'leader',
      limit: (_r, byId, _n, problems) => problems.filter((p) => byId.get(p.projectId)?.leaderId === leaderId && isOverdue(p, TODAY)).sort(newestRaised).slice(0, 20),
      goalMs: 100,
    },
    { name: 'notifications, first page', path: () => '/api/notifications?limit=20', as: 'staff', limit: () => mine.slice(-20).reverse(), goalMs: 100 },
    { name: 'notifications, page 10', path: () => `/api/notifications?limit=20&before=${mine.length - 179}`, as: 'staff', limit: () => mine.slice(-200, -180).reverse(), goalMs: 100 },
    { name: 'notifications, unread count (header)', path: () => '/api/notifications?limit=0', as: 'staff', limit: () => mine.length, goalMs: 50 },
  ];
}

function median(samples: number[]): number {
  return summarise(samples).p50;
}

async function timeCall(client: ApiClient, path: string): Promise<number> {
  const started = performance.now();
  const res = await client.get(path);
  expectStatus(res, 200, path);
  return performance.now() - started;
}

function timeLimit(work: () => unknown): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

async function residentMemory(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) * 1024;
}

/** The seeded projects as plain records, read straight from the service's database. */
async function plainRecords(uri: string): Promise<Plain[]> {
  const client = await new mongoose.mongo.MongoClient(uri, { directConnection: true }).connect();
  const records: Plain[] = [];
  for await (const stored of client.db('fundflow').collection<StoredProject>('projects').find({})) {
    const p = decodeProject(stored);
    records.push({
      id: p._id.toString(),
      orgId: p.orgId.toString(),
      field: p.field,
      name: p.name,
      stage: p.stage,
      channel: p.channel,
      updatedAt: p.updatedAt.getTime(),
      stageEnteredAt: p.stageEnteredAt,
      record: recordOf(p),
      spells: p.trail.reviewSpells,
      schedule: p.schedule ?? { plans: {}, months: {} },
      leaderId: p.responsibility?.leaderId,
    });
  }
  await client.close();
  return records;
}

async function plainProblems(uri: string): Promise<PlainProblem[]> {
  const client = await new mongoose.mongo.MongoClient(uri, { directConnection: true }).connect();
  const problems: PlainProblem[] = [];
  for await (const stored of client.db('fundflow').collection<StoredProblem>('problems').find({})) {
    const p = decodeProblem(stored);
    problems.push({ id: p._id.toString(), projectId: p.projectId.toString(), state: p.state, dueDate: p.dueDate, raisedAt: p.raisedAt.getTime() });
  }
  await client.close();
  return problems;
}

interface Clients {
  staff: ApiClient[];
  leader: ApiClient;
  owner: ApiClient;
}

async function clientsOf(child: ChildServer, ownerOrg: string): Promise<Clients> {
  const admin = await adminClient(loopbackOnly(child.url));
  const staff = await Promise.all(Array.from({ length: CLIENTS }, async () => (await signedInUser(admin, 'staff')).client));
  const leader = (await signedInUser(admin, 'leader')).client;
  const owner = (await signedInUser(admin, 'owner', ownerOrg)).client;
  return { staff, leader, owner };
}

/** Projects in implementation, one set per client, with their versions: what the transition loops send to. */
function transitionTargets(records: Plain[], seededVersions: Map<string, number>) {
  const implementation = records.filter((p) => p.stage === 'implementation');
  return Array.from({ length: CLIENTS }, (_, c) => implementation.filter((_, i) => i % CLIENTS === c).slice(0, 50).map((p) => ({ id: p.id, version: seededVersions.get(p.id)! })));
}

let reportCount = 0;
const progressData = () => ({ percent: reportCount % 101, note: `第 ${++reportCount} 次进展报告` });

/** 100 per second offered at a steady rate, whatever the answers' pace: latency as a user waits it. */
async function openLoop(clients: Clients, targets: { id: string; version: number }[][]) {
  const latencies: number[] = [];
  const interval = (1000 * CLIENTS) / OFFERED_PER_SECOND;
  const started = performance.now();
  const busy = new Set<string>();
  let failure: unknown;
  let sent = 0;
  await Promise.all(
    targets.map(async (own, c) => {
      const inFlight: Promise<void>[] = [];
      for (let k = 0; performance.now() - started < OPEN_LOOP_MS && failure === undefined; k++) {
        const due = started + c * (interval / CLIENTS) + k * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        // A project with a request under way is passed over: two in flight could arrive in either order.
        // When all are busy the request waits for one, and the wait counts in its latency (measured from when it was due).
        let target = own.find((t) => !busy.has(t.id));
        while (!target && failure === undefined) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          target = own.find((t) => !busy.has(t.id));
        }
        if (!target) break;
        busy.add(target.id);
        sent++;
        inFlight.push(
          clients.staff[c]!.post(`/api/projects/${target.id}/events`, { type: 'RECORD_PROGRESS', expectedVersion: target.version, data: progressData() }).then((res) => {
            target.version = expectStatus(res, 200, 'RECORD_PROGRESS').project.version;
            busy.delete(target.id);
            own.push(own.splice(own.indexOf(target), 1)[0]!);
            latencies.push(performance.now() - due);
          }).catch((error: unknown) => {
            // An unexpected answer too, not only a request that failed: either stops the loop and is reported.
            failure ??= error;
          }),
        );
      }
      await Promise.all(inFlight);
    }),
  );
  if (failure !== undefined) throw failure;
  const seconds = (performance.now() - started) / 1000;
  return { ...summarise(latencies), achieved: latencies.length / seconds, sent };
}

/** As many as 16 clients can get through, one after another each. */
async function saturation(clients: Clients, targets: { id: string; version: number }[][]) {
  const next = targets.map(() => 0);
  return runLoad({ workers: CLIENTS, durationMs: SATURATION_MS }, async (c) => {
    const target = targets[c]![next[c]!++ % targets[c]!.length]!;
    const res = await clients.staff[c]!.post(`/api/projects/${target.id}/events`, { type: 'RECORD_PROGRESS', expectedVersion: target.version, data: progressData() });
    target.version = expectStatus(res, 200, 'RECORD_PROGRESS').project.version;
  });
}

/** The same change straight through the driver, on the same documents and stored shape: read, decide nothing, write the project and its history entry. */
async function rawSaturation(uri: string, targets: { id: string; version: number }[][]) {
  const client = await new mongoose.mongo.MongoClient(uri, { directConnection: true, ignoreUndefined: true }).connect();
  const db = client.db('fundflow');
  const projects = db.collection<StoredProject>('projects');
  const history = db.collection<PackedHistoryEntry>('project_history');
  const next = targets.map(() => 0);
  try {
    return await runLoad({ workers: CLIENTS, durationMs: SATURATION_MS }, async (c) => {
      const target = targets[c]![next[c]!++ % targets[c]!.length]!;
      const id = new Types.ObjectId(target.id);
      const current = decodeProject((await projects.findOne({ _id: id }))!);
      const at = new Date();
      const data = progressData();
      const entry: HistoryEntry = { at, actorId: 'raw', actorName: '基准', role: 'staff', event: 'RECORD_PROGRESS', from: 'implementation', to: 'implementation', data };
      const version = current.version + 1;
      const progress = [...(current.progress ?? []), { ...data, date: at.toISOString().slice(0, 10) }];
      await projects.replaceOne({ _id: id }, encodeProject({ ...current, progress, version, lastEntry: { ...entry, version }, updatedAt: at }));
      await history.insertOne(encodeHistoryEntry(target.id, { ...entry, version }));
      target.version = version;
    });
  } finally {
    await client.close();
  }
}

interface SizeResult {
  rows: (string | number)[][];
  goals: Goal[];
  notes: string[];
}

async function measureSize(n: number, progress: (line: string) => void): Promise<SizeResult> {
  const seeded = await seedWorkDir(n, progress);
  const ownerOrg = seeded.seeded[0]!.orgId;
  const versions = new Map<string, number>();
  for (const s of seeded.seeded) versions.set(s.id, s.version);

  progress(`N = ${n}: starting the service on them`);
  const startedAt = performance.now();
  const child = await startChildServer({ workDir: seeded.workDir, env: { LOG_LEVEL: 'warn', PUBLIC_REQUESTS_PER_MINUTE: '100000' } });
  const startUpSeconds = (performance.now() - startedAt) / 1000;
  try {
    const uri = (await liveHolder(child.dataDir))!.uri!;
    const records = await plainRecords(uri);
    const problems = await plainProblems(uri);
    const byId = new Map(records.map((r) => [r.id, r]));
    const clients = await clientsOf(child, ownerOrg);
    progress(`N = ${n}: ${n * NOTIFICATIONS_PER_PROJECT} notifications for ${CLIENTS} members of staff`);
    const staffIds = clients.staff.map((client) => client.user!.id);
    const notifications = await seedNotifications(uri, seeded.seeded, staffIds, NOTIFICATIONS_PER_PROJECT);
    const rows: (string | number)[][] = [];
    const goals: Goal[] = [];
    const reportingIds = records.filter((r) => Object.keys(r.schedule.months).some((m) => m.startsWith(SCHEDULE_YEAR))).map((r) => r.id);
    for (const call of calls(seeded.seeded, ownerOrg, reportingIds, notifications.get(staffIds[0]!)!)) {
      const client = call.as === 'owner' ? clients.owner : call.as === 'leader' ? clients.leader : clients.staff[0]!;
      for (let w = 0; w < 3; w++) await timeCall(client, call.path(w));
      const samples: number[] = [];
      for (let s = 0; s < SAMPLES; s++) samples.push(await timeCall(client, call.path(s)));
      const limits = Array.from({ length: 10 }, (_, s) => timeLimit(() => call.limit(records, byId, s, problems)));
      const { p50, p99 } = summarise(samples);
      const limit = median(limits);
      rows.push([n, call.name, fixed(p50), fixed(p99), fixed(limit, 2), fixed(p50 / limit)]);
      const goalMs = n <= 10_000 ? call.goalMs : call.goalMs === 50 ? 50 : 300;
      goals.push({ name: `N=${n} ${call.name} median`, target: `< ${goalMs} ms`, actual: `${fixed(p50)} ms`, met: p50 < goalMs });
    }
    const ledger = await timeCall(clients.leader, '/api/exports/ledger.xlsx?kind=intake');
    rows.push([n, 'ledger (项目入库台账), whole file', fixed(ledger), '–', '–', '–']);
    const problemLedger = await timeCall(clients.leader, '/api/exports/problems.xlsx');
    rows.push([n, `ledger (问题解决台账, ${seeded.problems} problems), whole file`, fixed(problemLedger), '–', '–', '–']);
    for (const file of ['pdf', 'xlsx']) {
      const bulletin = await timeCall(clients.leader, `/api/exports/schedule.${file}?month=${SCHEDULE_MONTH}`);
      rows.push([n, `monthly scheduling bulletin (月度调度通报) as ${file.toUpperCase()}, whole file`, fixed(bulletin), '–', '–', '–']);
    }

    const targets = transitionTargets(records, versions);
    // Staff open a project before they act on it: its page is in the service's memory from then on.
    progress(`N = ${n}: opening the ${targets.flat().length} projects the transitions go to`);
    const firstViews: number[] = [];
    for (const target of targets.flat()) firstViews.push(await timeCall(clients.staff[0]!, `/api/projects/${target.id}`));
    const cold = summarise(firstViews);
    rows.push([n, 'project detail, first view since start', fixed(cold.p50), fixed(cold.p99), '–', '–']);
    progress(`N = ${n}: transitions, ${OFFERED_PER_SECOND}/s offered for ${OPEN_LOOP_MS / 1000} s`);
    const open = await openLoop(clients, targets);
    rows.push([n, `transitions, ${OFFERED_PER_SECOND}/s offered (achieved ${fixed(open.achieved)}/s)`, fixed(open.p50), fixed(open.p99), '–', '–']);
    progress(`N = ${n}: saturation, ours then the raw driver`);
    const databasePids = await child.databasePids();
    const cpuBefore = { service: cpuSeconds(child.process.pid!), database: databasePids.reduce((sum, pid) => sum + cpuSeconds(pid), 0), client: process.cpuUsage() };
    const ours = await saturation(clients, targets);
    const perOperation = (seconds: number) => fixed((seconds * 1000) / ours.operations, 2);
    const clientCpu = process.cpuUsage(cpuBefore.client);
    const cpuPerTransition = `CPU ms per transition: service ${perOperation(cpuSeconds(child.process.pid!) - cpuBefore.service)}, database ${perOperation(databasePids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - cpuBefore.database)}, benchmark client ${perOperation((clientCpu.user + clientCpu.system) / 1e6)}`;
    const holder = await liveHolder(child.dataDir);
    const raw = await rawSaturation(holder!.uri!, targets);
    rows.push([n, `saturation: ${fixed(ours.perSecond)}/s ours, ${fixed(raw.perSecond)}/s raw driver`, fixed(ours.latency.p50), fixed(ours.latency.p99), '–', fixed(ours.perSecond / raw.perSecond, 2)]);
    const memory = await residentMemory(child.process.pid!);
    rows.push([n, `start-up ${fixed(startUpSeconds)} s; service memory ${fixed(memory / 1024 / 1024)} MiB; ${seeded.historyEntries} history entries`, '–', '–', '–', '–']);
    rows.push([n, cpuPerTransition, '–', '–', '–', '–']);

    if (n === 10_000) {
      goals.push({ name: 'N=10000 transitions p99 at 100/s offered', target: '< 100 ms', actual: `${fixed(open.p99)} ms`, met: open.p99 < 100 });
      goals.push({ name: 'N=10000 saturation ours / raw', target: '≥ 0.5', actual: fixed(ours.perSecond / raw.perSecond, 2), met: ours.perSecond / raw.perSecond >= 0.5 });
    }
    if (n === 100_000) goals.push({ name: 'N=100000 start-up', target: '< 60 s', actual: `${fixed(startUpSeconds)} s`, met: startUpSeconds < 60 });
    return { rows, goals, notes: [] };
  } catch (error) {
    throw new Error(`N = ${n}: ${(error as Error).message}\nthe service's last lines:\n${child.output()}`, { cause: error });
  } finally {
    await child.stop();
    await rm(seeded.workDir, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  title: `every screen and report at ${SIZES.join(', ')} projects on the embedded database, against a plain loop over the same records`,
  async run(progress) {
    const rows: (string | number)[][] = [];
    const goals: Goal[] = [];
    for (const n of SIZES) {
      const result = await measureSize(n, progress);
      rows.push(...result.rows);
      goals.push(...result.goals);
    }
    return {
      columns: ['N', 'call', 'median ms', 'p99 ms', 'limit ms', 'ours / limit'],
      rows,
      goals,
      notes: [
        `${SAMPLES} requests per call, one after another, over HTTP to the service as its own process; limit = the same question answered by a loop over the same records in this process`,
        'transitions: RECORD_PROGRESS by 16 staff clients to projects in implementation; raw driver = read the project, set the change and the newest entry, append the history entry, as the service does',
      ],
    };
  },
};
