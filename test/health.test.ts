import { expect } from 'chai';
import { ApiClient } from './support/client';
import { service } from './support/hooks';
import { ADMIN } from './support/server';
import { newWorkDir, startChildServer, type ChildServer } from './support/child-server';
import { expectProblem, unique } from './support/fixtures';

const CHILD_TIMEOUT_MS = 180_000;
/** A health check must answer quickly whatever the database does. */
const HEALTH_ANSWER_MS = 2_500;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}

describe('health', () => {
  it('GET /healthz is 200 without a login while the database answers', async () => {
    const { value: res, ms } = await timed(() => new ApiClient(service().url).get('/healthz', { timeoutMs: HEALTH_ANSWER_MS }));
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
    expect(ms).to.be.below(HEALTH_ANSWER_MS);
  });

  describe('when the database stops (own service)', function () {
    this.timeout(CHILD_TIMEOUT_MS);
    let child: ChildServer;
    let signedIn: ApiClient;
    let releaseDatabase: (() => Promise<void>) | undefined;

    before(async () => {
      child = await startChildServer();
      signedIn = new ApiClient(child.url);
      expect((await signedIn.login(ADMIN.username, ADMIN.password)).status).to.equal(200);
      expect((await new ApiClient(child.url).get('/healthz')).status).to.equal(200);
      expect(await child.databasePids(), 'the child runs its own database').to.have.length.above(0);
      // The service restarts its database by itself; keep killing it to see the service without one.
      releaseDatabase = await child.keepDatabaseDown();
    });
    after(async () => {
      await releaseDatabase?.();
      await child?.dispose();
    });

    it('/healthz turns 503 within seconds, and answers every time within ~2 s', async () => {
      const deadline = Date.now() + 20_000;
      const answers: number[] = [];
      for (;;) {
        const { value: res, ms } = await timed(() => new ApiClient(child.url).get('/healthz', { timeoutMs: HEALTH_ANSWER_MS + 1_000 }));
        expect(ms, 'health check answered slowly').to.be.below(HEALTH_ANSWER_MS);
        answers.push(res.status);
        if (res.status === 503) break;
        expect(res.status).to.equal(200);
        expect(Date.now(), `still ${answers.join(', ')} 20 s after the database stopped`).to.be.below(deadline);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // And it stays 503, answering quickly each time.
      for (let i = 0; i < 3; i++) {
        const { value: res, ms } = await timed(() => new ApiClient(child.url).get('/healthz', { timeoutMs: HEALTH_ANSWER_MS + 1_000 }));
        expect(ms).to.be.below(HEALTH_ANSWER_MS);
        expect(res.status).to.equal(503);
        expect(JSON.stringify(res.body)).not.to.match(/Mongo|ECONNREFUSED|\n\s+at /);
      }
    });

    it('answers API calls with 503 problem JSON in Chinese, without database internals, and keeps running', async () => {
      const calls = [
        () => new ApiClient(child.url).post('/api/auth/login', { username: ADMIN.username, password: ADMIN.password }),
        () => signedIn.get('/api/auth/me'),
        () => signedIn.get('/api/projects'),
        () => signedIn.post('/api/orgs', { name: unique('停库时新建单位') }),
      ];
      for (const call of calls) {
        const { value: res, ms } = await timed(() => call());
        expectProblem(res, 503);
        expect(res.body.title).to.equal('服务暂不可用');
        expect(ms, 'the service fails fast instead of queueing').to.be.below(10_000);
      }
      expect(child.process.exitCode, child.output()).to.equal(null);
    });

    it('does not count logins refused for the outage as failed logins (users are not locked out by it)', async () => {
      const username = unique('outage');
      for (let i = 0; i < 8; i++) {
        const res = await new ApiClient(child.url).post('/api/auth/login', { username, password: 'right-or-wrong' });
        expect(res.status, `attempt ${i + 1}: ${JSON.stringify(res.body)}`).to.equal(503);
      }
    });

    it('still stops cleanly on SIGTERM', async () => {
      const exit = await child.stop();
      expect(exit, child.output()).to.include({ forced: false, code: 0 });
    });
  });

  describe('restart (own service)', function () {
    this.timeout(CHILD_TIMEOUT_MS);
    let workDir: string;
    let child: ChildServer | undefined;

    before(async () => {
      workDir = await newWorkDir();
    });
    after(async () => {
      if (child) await child.dispose();
    });

    it('keeps organisations, users and sessions across a restart on the same data folder', async () => {
      child = await startChildServer({ workDir });
      const admin = new ApiClient(child.url);
      expect((await admin.login(ADMIN.username, ADMIN.password)).status).to.equal(200);
      const name = unique('重启前单位');
      const created = await admin.post('/api/orgs', { name, kind: '国有企业' });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const first = await child.stop();
      expect(first, child.output()).to.include({ forced: false, code: 0 });

      child = await startChildServer({ workDir });
      const again = new ApiClient(child.url);
      expect((await again.login(ADMIN.username, ADMIN.password)).status, 'the administrator is still there').to.equal(200);
      const orgs = await again.get('/api/orgs');
      expect(orgs.status).to.equal(200);
      expect(orgs.body.items).to.deep.include({ id: created.body.organisation.id, name, kind: '国有企业' });
      expectProblem(await again.post('/api/orgs', { name }), 409);

      // The session from before the restart still works, CSRF token included.
      const old = new ApiClient(child.url);
      old.useSessionCookie(admin.sessionCookie, admin.csrf);
      const me = await old.get('/api/auth/me');
      expect(me.status, JSON.stringify(me.body)).to.equal(200);
      expect(me.body.user.username).to.equal(ADMIN.username);
      expect((await old.post('/api/orgs', { name: unique('重启后单位') })).status).to.equal(201);
    });
  });
});
