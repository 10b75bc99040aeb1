import { expect } from 'chai';
import { Types } from 'mongoose';
import { checkInvariants } from '../src/integrity/invariants';
import { Project, ProjectHistory, ProjectHistoryChunks, historyChunkId, historyEntryId, type ProjectDoc, type StoredHistoryEntry } from '../src/projects/project.model';
import { projectStore } from '../src/projects/project-store';
import { DocumentRecords } from '../src/projects/document.model';
import { loadCatalogue, storedHistory } from '../src/projects/project.repository';
import { flushHistory } from '../src/projects/history-appender';
import type { ApiClient } from './support/client';
import { acceptAll, createProject, createTeam, getProject, historyOf, performanceTargets, projectBody, requiredDocuments, sendEvent, specialBondBody, upload, type Team } from './support/fixtures';
import { service } from './support/hooks';

/**
 * The figures come from a catalogue kept beside the stored projects (issue
 * "Fast at a real bureau's size"). After a random sequence of events they must
 * equal what the test computes itself from the stored source records (each
 * project's history as the database holds it), before and after the catalogue
 * is rebuilt; what is derived must be found when it drifts, and mended.
 */
const chinaYear = (at: Date) => Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(at));
const T = chinaYear(new Date());
const YEARS = [T - 2, T - 1, T];

/** A small deterministic generator, so a failure can be replayed from its seed. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => ((state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32);
  const weighted = <X>(items: X[], weight: (item: X) => number): X => {
    let left = next() * items.reduce((sum, item) => sum + weight(item), 0);
    return items.find((item) => (left -= weight(item)) < 0) ?? items.at(-1)!;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)), pick: <X>(items: X[]) => items[Math.floor(next() * items.length)]!, weighted };
}

/** Mostly forward, now and then back, rarely out of the pipeline: so that projects live long enough to be funded. */
const DROPPED = ['rejected', 'removed', 'withdrawn'];
const eventWeight = ({ event }: { event: { to: string; needsReason: boolean } }) => (DROPPED.includes(event.to) ? 0.2 : event.needsReason ? 1 : 10);

type Random = ReturnType<typeof random>;

function dataFor(type: string, project: any, limits: { maxAmount?: number }, rnd: Random): Record<string, unknown> | undefined {
  const day = (year: number) => `${year}-0${rnd.int(1, 9)}-1${rnd.int(0, 9)}`;
  const amount = (max: number) => Math.max(1, rnd.int(1, max));
  switch (type) {
    case 'RECORD_APPROVAL':
      return { amount: amount(project.requestedAmount), year: rnd.pick(YEARS), docNo: `文号${rnd.int(1, 999)}`, date: day(T) };
    case 'RECORD_ISSUANCE':
      return { batch: `批次${rnd.int(1, 9)}`, bondCode: `B${rnd.int(1, 9999)}`, amount: amount(limits.maxAmount!), termYears: 10, rate: 2.5, issueDate: day(rnd.pick(YEARS)) };
    case 'RECORD_DISBURSEMENT':
      return { amount: amount(limits.maxAmount!), date: day(T) };
    case 'RECORD_PROGRESS':
      return { percent: rnd.int(0, 100), note: '进展' };
    case 'COMPLETE':
      return { date: day(T) };
    case 'EVALUATE':
      return { scores: project.performanceTargets.map((t: { name: string }) => ({ name: t.name, score: rnd.int(40, 100) })) };
    default:
      return undefined;
  }
}

/** One random step: an event someone may send now, with the documents its submission needs accepted first. */
async function randomStep(team: Team, id: string, rnd: Random): Promise<void> {
  const views = await Promise.all([team.owner, team.staff].map(async (client) => ({ client, project: await getProject(client, id) })));
  const choices = views.flatMap(({ client, project }) => project.affordances.events.map((e: any) => ({ client, project, event: e })));
  if (choices.length === 0) return;
  const { client, project, event } = rnd.weighted<(typeof choices)[number]>(choices, eventWeight);
  if (event.blockers.some((b: any) => b.kind === 'missing')) {
    const stage = project.stage as 'draft' | 'preliminary';
    const missing = requiredDocuments[project.channel as keyof typeof requiredDocuments][stage].filter(
      (t: string) => project.dossier.find((d: any) => d.docType === t)?.state !== 'accepted',
    );
    await acceptAll(team.owner, team.staff, id, missing);
    return;
  }
  if (event.blockers.length || (event.limits.maxAmount !== undefined && event.limits.maxAmount < 1)) return;
  const res = await sendEvent(client as ApiClient, project, event.type, { reason: event.needsReason ? '随机理由' : undefined, data: dataFor(event.type, project, event.limits, rnd) });
  expect(res.status, `${event.type}: ${JSON.stringify(res.body)}`).to.equal(200);
}

interface Source {
  project: ProjectDoc;
  history: StoredHistoryEntry[];
}

async function sourceRecords(ids: string[]): Promise<Source[]> {
  return Promise.all(
    ids.map(async (id) => {
      const project = (await projectStore.find(new Types.ObjectId(id)))!;
      return { project, history: await storedHistory(id, 1, project.version) };
    }),
  );
}

/** "Applied" and "secured" per year and channel, as the test reads the histories: its own reading of docs/domain.md. */
function expectedFunds(sources: Source[]) {
  const rows = new Map<string, { appliedCount: number; appliedAmount: number; securedCount: number; securedAmount: number }>();
  for (const year of YEARS) for (const channel of ['central_budget', 'special_bond']) rows.set(`${year}:${channel}`, { appliedCount: 0, appliedAmount: 0, securedCount: 0, securedAmount: 0 });
  for (const { project, history } of sources) {
    if (['rejected', 'removed', 'withdrawn'].includes(project.stage)) continue;
    for (const year of YEARS) {
      const row = rows.get(`${year}:${project.channel}`)!;
      if (history.some((e) => e.event === 'APPROVE' && e.from === 'application_review' && chinaYear(e.at) === year)) {
        row.appliedCount++;
        row.appliedAmount += project.requestedAmount;
      }
      const secured = history.filter((e) =>
        project.channel === 'central_budget'
          ? e.event === 'RECORD_APPROVAL' && (e.data as any).year === year
          : e.event === 'RECORD_ISSUANCE' && Number((e.data as any).issueDate.slice(0, 4)) === year,
      );
      if (secured.length) {
        row.securedCount++;
        row.securedAmount += secured.reduce((sum, e) => sum + (e.data as any).amount, 0);
      }
    }
  }
  return [...rows].map(([key, figures]) => ({ year: Number(key.split(':')[0]), channel: key.split(':')[1], ...figures }));
}

describe('the read path equals the source records', function () {
  this.timeout(600_000);
  const seed = Number(process.env.READ_MODEL_SEED ?? Date.now() % 100_000);
  let team: Team;
  const ids: string[] = [];

  before(async () => {
    team = await createTeam();
    for (let i = 0; i < 8; i++) {
      const body = i % 2 ? specialBondBody(1.5, { performanceTargets }) : projectBody({ performanceTargets });
      ids.push((await createProject(team.owner, body)).id);
    }
    const rnd = random(seed);
    for (let step = 0; step < 160; step++) await randomStep(team, rnd.pick(ids), rnd);
  });

  it('walked projects far enough for money to be recorded', async () => {
    const stages = (await sourceRecords(ids)).map((s) => s.project.stage);
    console.log(`      seed ${seed}: ${stages.join(', ')}`);
    expect(stages.filter((s) => ['approved', 'issued', 'implementation', 'completed', 'evaluated'].includes(s)).length).to.be.at.least(1);
  });

  async function readPath() {
    const [funds, pipeline, list] = await Promise.all([
      team.leader.get(`/api/stats/funds?from=${T - 2}&to=${T}&orgId=${team.orgId}`),
      team.leader.get(`/api/stats/pipeline?orgId=${team.orgId}`),
      team.staff.get(`/api/projects?orgId=${team.orgId}&limit=200`),
    ]);
    return { funds: funds.body.items, stages: pipeline.body.stages, list: list.body };
  }

  it(`gives the funds, stage counts and lists the histories give (seed ${seed})`, async () => {
    const sources = await sourceRecords(ids);
    const { funds, stages, list } = await readPath();
    expect(funds, `seed ${seed}`).to.deep.equal(expectedFunds(sources));
    for (const { channel, stage, count } of stages) {
      expect(count, `${channel} ${stage}, seed ${seed}`).to.equal(sources.filter((s) => s.project.channel === channel && s.project.stage === stage).length);
    }
    expect(list.total).to.equal(ids.length);
    for (const item of list.items) {
      const source = sources.find((s) => s.project._id.toString() === item.id)!;
      expect(item, item.id).to.include({ stage: source.project.stage, version: source.history.length });
    }
  });

  it('answers the same after the catalogue is rebuilt from the database, as at a start', async () => {
    const before = await readPath();
    await loadCatalogue();
    expect(await readPath()).to.deep.equal(before);
  });

  it('finds nothing wrong with what the random sequence left', async () => {
    const report = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
    expect(report.violations.filter((v) => v.projectId && ids.includes(v.projectId))).to.deep.equal([]);
  });

  it('finds a trail that drifted from its history, and the repair rebuilds it from the history', async () => {
    const id = new Types.ObjectId(ids[0]);
    const stored = (await projectStore.find(id))!;
    const { trail } = stored;
    await projectStore.replace({ ...stored, trail: { ...trail, admittedAt: '2001-01-01T00:00:00.000Z', setbacks: [], reviewSpells: [] } }, stored.version);
    const found = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
    expect(found.violations.filter((v) => v.projectId === ids[0]).map((v) => v.rule)).to.deep.equal(['trail']);
    const repaired = await checkInvariants({ uploadsDir: service().settings.uploadsDir, repair: true });
    expect(repaired.repaired.rebuiltTrails).to.be.at.least(1);
    expect((await projectStore.find(id))!.trail).to.deep.equal(trail);
    const after = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
    expect(after.violations.filter((v) => v.projectId === ids[0])).to.deep.equal([]);
  });

  it('keeps a change whose history append a crash cut off: the history shows it, the next change or the repair appends it', async () => {
    const created = await createProject(team.owner, projectBody());
    const id: string = created.id;
    const history = ProjectHistory.collection as any;
    /** The state a kill between the commit and the append leaves, seen as a restarted process sees it. */
    const cutOff = async (version: number) => {
      await flushHistory();
      await history.deleteOne({ _id: historyEntryId(id, version) });
      await loadCatalogue();
    };
    const edited = (await team.owner.patch(`/api/projects/${id}`, { expectedVersion: 1, description: '第一次补充' })).body.project;

    await cutOff(edited.version);
    expect((await historyOf(team.staff, id)).map((e) => e.event)).to.deep.equal(['CREATE', 'EDIT']);
    const report = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
    expect(report.pendingEntries).to.be.at.least(1);
    expect(report.violations.filter((v) => v.projectId === id)).to.deep.equal([]);
    const repaired = await checkInvariants({ uploadsDir: service().settings.uploadsDir, repair: true });
    expect(repaired.repaired.appendedEntries).to.be.at.least(1);
    expect(await history.findOne({ _id: historyEntryId(id, edited.version) })).to.not.equal(null);

    await cutOff(edited.version);
    const next = await team.owner.patch(`/api/projects/${id}`, { expectedVersion: edited.version, description: '第二次补充' });
    expect(next.status).to.equal(200);
    expect(await history.findOne({ _id: historyEntryId(id, edited.version) }), 'appended before the next change').to.not.equal(null);
    await flushHistory(); // the next change's own entry is appended with others a moment later
    expect(await history.findOne({ _id: historyEntryId(id, edited.version + 1) })).to.not.equal(null);
    const last = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
    expect(last.violations.filter((v) => v.projectId === id)).to.deep.equal([]);
  });

  it('reads a long history in chunks of sixteen entries: a chunk that disagrees with the entries is found, dropped by the repair and written again', async () => {
    const created = await createProject(team.owner, projectBody());
    const id: string = created.id;
    let version: number = created.version;
    for (let i = 1; i <= 40; i++) {
      const res = await team.owner.patch(`/api/projects/${id}`, { expectedVersion: version, description: `第 ${i} 次补充` });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      version = res.body.project.version;
    }
    const chunks = ProjectHistoryChunks.collection as any;
    const chunkOf = (chunk: number) => chunks.findOne({ _id: historyChunkId(id, chunk) });
    /** Chunks are written just after the change or read that completes them. */
    const written = async (chunk: number) => {
      for (let tries = 0; tries < 50 && !(await chunkOf(chunk)); tries++) await new Promise((resolve) => setTimeout(resolve, 100));
      return chunkOf(chunk);
    };
    expect(await written(0), 'versions 1–16').to.not.equal(null);
    expect(await written(1), 'versions 17–32').to.not.equal(null);
    await flushHistory();
    const history = await historyOf(team.staff, id);
    expect(history).to.have.length(41);

    // A chunk altered in the database is what a restarted process reads: the history comes from the chunks.
    const stored = await chunkOf(0);
    await chunks.updateOne({ _id: stored._id }, { $set: { entries: stored.entries.replace('第 3 次补充', '被改动的内容') } });
    await loadCatalogue();
    expect(JSON.stringify(await historyOf(team.staff, id))).to.include('被改动的内容');
    const found = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
    expect(found.violations.filter((v) => v.projectId === id).map((v) => v.detail)).to.deep.equal([
      `历史记录分段 ${historyChunkId(id, 0)} 与历史记录不一致（npm run check -- --repair 会删除它，之后按历史记录重写）`,
    ]);
    const repaired = await checkInvariants({ uploadsDir: service().settings.uploadsDir, repair: true });
    expect(repaired.repaired.droppedHistoryChunks).to.equal(1);
    await loadCatalogue();
    expect(await historyOf(team.staff, id)).to.deep.equal(history);
    expect(await written(0), 'written again from the entries').to.not.equal(null);
    const after = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
    expect(after.violations.filter((v) => v.projectId === id)).to.deep.equal([]);
  });

  it('brings a project stored in the earlier layout (history and files inside it) to the current one at start', async () => {
    const created = await createProject(team.owner, projectBody());
    await acceptAll(team.owner, team.staff, created.id, ['proposal']);
    const id = new Types.ObjectId(created.id);
    await flushHistory();
    const current = (await projectStore.find(id))!;
    const history = await storedHistory(created.id, 1, current.version);
    const records = await DocumentRecords.collection.find({ projectId: id }).toArray();
    const before = { history: await historyOf(team.staff, created.id), project: await getProject(team.staff, created.id) };
    // The earlier layout: the whole history and every file's details inside the project.
    const { lastEntry: _lastEntry, trail: _trail, dossier: _dossier, documents: _documents, ...rest } = current;
    // ...and unpacked, as every field was its own.
    await Project.collection.replaceOne(
      { _id: id },
      { ...rest, history: history.map(({ _id, projectId: _p, version: _v, ...entry }) => entry), documents: records.map(({ projectId: _p, ...record }) => record) },
    );
    await (ProjectHistory.collection as any).deleteMany({ projectId: id });
    await DocumentRecords.collection.deleteMany({ projectId: id });

    const loaded = await loadCatalogue();
    expect(loaded.upgraded).to.equal(1);
    expect(await historyOf(team.staff, created.id)).to.deep.equal(before.history);
    expect(await getProject(team.staff, created.id)).to.deep.equal(before.project);
    const report = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
    expect(report.violations.filter((v) => v.projectId === created.id)).to.deep.equal([]);
    expect((await loadCatalogue()).upgraded, 'nothing left to upgrade').to.equal(0);
  });

  it('rebuilds at start a trail stored before it kept the files awaiting review, so their time limits show', async () => {
    const created = await createProject(team.owner, projectBody());
    await acceptAll(team.owner, team.staff, created.id, ['proposal']);
    const waiting = await upload(team.owner, created.id, 'eia');
    const id = new Types.ObjectId(created.id);
    await flushHistory();
    const { awaitingReview: _awaiting, ...olderTrail } = (await projectStore.find(id))!.trail;
    await projectStore.replace({ ...(await projectStore.find(id))!, trail: olderTrail }, undefined);

    await loadCatalogue();
    const project = await getProject(team.staff, created.id);
    expect(project.fileReviews.map((f: any) => [f.docType, f.uploadedAt])).to.deep.equal([['eia', waiting.uploadedAt]]);
    expect((await projectStore.find(id))!.trail.awaitingReview, 'stored').to.deep.equal({ eia: { version: 1, uploadedAt: waiting.uploadedAt } });
  });
});
