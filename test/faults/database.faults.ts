/**
 * The database process is killed while the service is under load (issue 7, faults 3):
 * answers stay fast (503 while it is down: 4 s in which every restart fails), the
 * service brings its database back by itself, every success it reported is stored,
 * and the invariant check passes.
 */
import { expect } from 'chai';
import { ApiClient, type ApiResponse } from '../support/client';
import { startChildServer, type ChildServer } from '../support/child-server';
import { bringTo, createProject, expectProblem, projectBody } from '../support/fixtures';
import { sha256 } from '../support/files';
import { checkWorkDir } from '../support/scripts';
import { eventually, ownerAndStaff, pdfOfSize, sleep, timed } from './support';

/** Longest any request may take, database or not. */
const ANSWER_WITHIN_MS = 5_000;
const RECOVER_WITHIN_MS = 30_000;
const OUTAGE_MS = 4_000;

/** What the service logged for its 500s: request and error, without the headers. */
const unhandledErrors = (child: ChildServer) =>
  child.collected().slice(0, 5).map((line) => {
    const { req, err } = JSON.parse(line) as { req?: { method: string; url: string }; err?: { type: string; message: string; stack?: string } };
    return `${req?.method} ${req?.url}: ${err?.type} ${err?.message} ${err?.stack?.split('\n').slice(1, 4).join(' ')}`;
  });

interface Answer {
  kind: string;
  status: number;
  ms: number;
  startedAt: number;
}

describe('fault: the database is killed under load', function () {
  this.timeout(300_000);
  let child: ChildServer;

  after(async () => {
    await child?.dispose();
  });

  it('answers within 5 s (503 while down), restarts its database itself, loses no reported success, and stays consistent', async () => {
    // Kept so that a 500 names its cause (src/shared/error-handler.ts).
    child = await startChildServer({ collect: /"msg":"unhandled error"/ });
    const { owner, staff } = await ownerAndStaff(child.url);
    const team = { owner, staff };
    const busy = await Promise.all([0, 1, 2].map(async () => bringTo(team, await createProject(owner, projectBody()), 'implementation')));
    const drafts = await Promise.all([0, 1].map(() => createProject(owner, projectBody())));
    const databaseBefore = await child.databasePids();

    const answers: Answer[] = [];
    const events: { projectId: string; version: number }[] = [];
    const created: string[] = [];
    const uploaded: { projectId: string; documentId: string; sha256: string }[] = [];
    let running = true;
    const request = async (kind: string, send: () => Promise<ApiResponse>) => {
      const { value: res, ms } = await timed(send);
      answers.push({ kind, status: res.status, ms, startedAt: Date.now() - ms });
      if (res.status >= 400 && res.status !== 409) expectProblem(res, res.status);
      if (res.status === 503) await sleep(100);
      return res;
    };

    const loops = [
      ...busy.map(async (project: any) => {
        let version = project.version;
        for (let n = 0; running; n++) {
          const res = await request('event', () =>
            staff.post(`/api/projects/${project.id}/events`, { type: 'RECORD_PROGRESS', expectedVersion: version, data: { percent: n % 100, note: `第 ${n} 次进展` } }),
          );
          if (res.status === 200) {
            version = res.body.project.version;
            events.push({ projectId: project.id, version });
          } else if (res.status === 409) {
            const current = await staff.get(`/api/projects/${project.id}`);
            if (current.status === 200) version = current.body.project.version;
          }
        }
      }),
      (async () => {
        while (running) {
          const res = await request('create', () => owner.post('/api/projects', projectBody()));
          if (res.status === 201) created.push(res.body.project.id);
        }
      })(),
      ...drafts.map(async (project: any, loop) => {
        for (let n = 0; running; n++) {
          const bytes = pdfOfSize(200_000, `fault-${loop}-${n}`);
          const form = new FormData();
          form.append('docType', 'proposal');
          form.append('file', new Blob([bytes]), `停库期间上传-${n}.pdf`);
          const res = await request('upload', () => owner.request('POST', `/api/projects/${project.id}/documents`, { form }));
          if (res.status === 201) uploaded.push({ projectId: project.id, documentId: res.body.document.id, sha256: sha256(bytes) });
        }
      }),
      (async () => {
        while (running) await request('read', () => staff.get('/api/projects?limit=50'));
      })(),
    ];

    await sleep(1_000);
    // One kill: the service starts a new database at once.
    await child.killDatabase();
    const singleKillRecovery = await eventually('healthy after a single kill', async () => (await new ApiClient(child.url).get('/healthz')).status === 200, RECOVER_WITHIN_MS);
    await sleep(1_000);
    // The service's own restarts fail for a while: a database that stays down.
    const releaseDatabase = await child.keepDatabaseDown();
    await sleep(OUTAGE_MS);
    await releaseDatabase();
    const recoveredIn = await eventually('the service answers /healthz with 200 again', async () => (await new ApiClient(child.url).get('/healthz')).status === 200, RECOVER_WITHIN_MS);
    const recoveredAt = Date.now();
    await sleep(2_000);
    running = false;
    await Promise.all(loops);

    // Answers stayed fast throughout, and the outage showed as 503s, not as anything else.
    const slowest = Math.max(...answers.map((a) => a.ms));
    expect(slowest, 'slowest answer (ms)').to.be.below(ANSWER_WITHIN_MS);
    const statuses = [...new Set(answers.map((a) => a.status))].sort();
    expect(statuses.every((s) => [200, 201, 409, 503].includes(s)), `statuses seen: ${statuses}\n${unhandledErrors(child).join('\n')}`).to.equal(true);
    expect(answers.filter((a) => a.status === 503).length, 'requests refused while the database was down').to.be.above(0);
    const afterRecovery = answers.filter((a) => a.startedAt > recoveredAt);
    expect(afterRecovery.filter((a) => a.status < 300).length, 'successes after the recovery').to.be.above(0);
    expect(child.process.exitCode, 'the service itself kept running').to.equal(null);
    const databaseAfter = await child.databasePids();
    expect(databaseAfter).to.have.length(1);
    expect(databaseAfter[0]).not.to.equal(databaseBefore[0]);
    console.log(
      `      one kill: healthy again in ${(singleKillRecovery / 1000).toFixed(1)} s; held down ${OUTAGE_MS / 1000} s: healthy again ${(recoveredIn / 1000).toFixed(1)} s after; ${answers.length} requests, ` +
        `${answers.filter((a) => a.status === 503).length} × 503, slowest ${slowest} ms; ` +
        `${events.length} events, ${created.length} projects, ${uploaded.length} files reported stored`,
    );

    // Every success the service reported is there.
    for (const { projectId, version } of events) {
      const history = (await staff.get(`/api/projects/${projectId}/history`)).body.items;
      expect(history.length, `history of ${projectId}`).to.be.at.least(version);
      expect(history[version - 1].event, `${projectId} version ${version}`).to.equal('RECORD_PROGRESS');
    }
    for (const id of created) expect((await staff.get(`/api/projects/${id}`)).status, id).to.equal(200);
    for (const { documentId, sha256: expected } of uploaded) {
      const content = await staff.get(`/api/documents/${documentId}/content`);
      expect(content.status, documentId).to.equal(200);
      expect(sha256(content.body)).to.equal(expected);
    }

    const exit = await child.stop();
    expect(exit, child.output()).to.include({ forced: false, code: 0 });
    const check = await checkWorkDir(child.workDir);
    expect(check.report.violations).to.deep.equal([]);
    // A create cut off by the outage may have landed without its answer: at least, not exactly.
    expect(check.report.projects).to.be.at.least(busy.length + drafts.length + created.length);
  });
});
