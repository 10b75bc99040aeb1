import { expect } from 'chai';
import { service } from './support/hooks';
import { adminClient, anonymousClient, createOrganisation, expectProblem, signedInUser, unique } from './support/fixtures';

const chinaDay = (offsetDays = 0) => new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('audit log of administrative changes (GET /api/audit)', function () {
  this.timeout(60_000);

  it('records who created a user and changed role, organisation, password and disabled it, with old and new values, never a password or hash', async () => {
    const admin = await adminClient();
    const leader = await signedInUser(admin, 'leader');
    const [firstOrg, secondOrg] = [await createOrganisation(admin), await createOrganisation(admin)];
    const username = unique('audited');
    const password = 'Qingshan-first-Pass-91';
    const created = await admin.post('/api/users', { username, password, displayName: '王审计', role: 'owner', orgId: firstOrg });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const id = created.body.user.id;
    const newPassword = 'Shiqiao-second-Pass-37';
    for (const patch of [{ role: 'staff' }, { role: 'owner', orgId: secondOrg }, { password: newPassword }, { disabled: true }]) {
      expect((await admin.patch(`/api/users/${id}`, patch)).status).to.equal(200);
    }

    const res = await leader.client.get(`/api/audit?target=${id}&limit=200`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ total: 5, page: 1, limit: 200 });
    // Newest first, each by the administrator, with what changed.
    const entries = res.body.items.map((e: any) => ({ action: e.action, by: e.actor.username, changes: e.changes }));
    expect(entries).to.deep.equal([
      { action: 'user.update', by: 'admin', changes: [{ field: 'disabled', from: false, to: true }] },
      // A password the administrator sets is a reset: the user must choose their own at the next login.
      { action: 'user.password_reset', by: 'admin', changes: [{ field: 'password' }] },
      {
        action: 'user.update',
        by: 'admin',
        changes: [
          { field: 'role', from: 'staff', to: 'owner' },
          { field: 'orgId', from: firstOrg, to: secondOrg },
        ],
      },
      { action: 'user.update', by: 'admin', changes: [{ field: 'role', from: 'owner', to: 'staff' }] },
      {
        action: 'user.create',
        by: 'admin',
        changes: [
          { field: 'username', to: username },
          { field: 'displayName', to: '王审计' },
          { field: 'role', to: 'owner' },
          { field: 'orgId', to: firstOrg },
          { field: 'disabled', to: false },
          { field: 'password' },
        ],
      },
    ]);
    expect(res.body.items[0]).to.include({ actionLabel: '修改用户' });
    expect(res.body.items[0].target).to.deep.equal({ type: 'user', id, name: username });
    expect(res.body.items[0].address).to.be.a('string');
    const text = JSON.stringify(res.body);
    for (const secret of [password, newPassword, 'argon2', 'passwordHash']) expect(text).not.to.include(secret);
    expect((await leader.client.get(`/api/audit?q=${encodeURIComponent(newPassword)}`)).body.total).to.equal(0);
  });

  it('records organisations created, and finds entries by actor, action, text and date range, a page at a time', async () => {
    const admin = await adminClient();
    const otherAdmin = await signedInUser(admin, 'admin');
    const names = [unique('审计测试单位'), unique('审计测试单位')];
    for (const name of names) expect((await otherAdmin.client.post('/api/orgs', { name, kind: '事业单位' })).status).to.equal(201);

    const mine = await admin.get(`/api/audit?actor=${otherAdmin.username}&action=organisation.create`);
    expect(mine.body.total).to.equal(2);
    expect(mine.body.items.map((e: any) => e.target.name)).to.deep.equal([...names].reverse());
    expect(mine.body.items[0].changes).to.deep.include({ field: 'name', to: names[1] });

    const paged = await admin.get(`/api/audit?actor=${otherAdmin.username}&action=organisation.create&limit=1&page=2`);
    expect(paged.body).to.include({ total: 2, page: 2, limit: 1 });
    expect(paged.body.items.map((e: any) => e.target.name)).to.deep.equal([names[0]]);

    const text = await admin.get(`/api/audit?q=${encodeURIComponent(names[0]!.slice(-8))}`);
    expect(text.body.items.map((e: any) => e.target.name)).to.deep.equal([names[0]]);

    const today = chinaDay();
    expect((await admin.get(`/api/audit?actor=${otherAdmin.username}&from=${today}&to=${today}`)).body.total).to.equal(3); // and the login;
    expect((await admin.get(`/api/audit?actor=${otherAdmin.username}&from=${chinaDay(-30)}&to=${chinaDay(-1)}`)).body.total).to.equal(0);
    expectProblem(await admin.get(`/api/audit?from=${chinaDay(-400)}&to=${today}`), 400);
    expectProblem(await admin.get(`/api/audit?from=${today}&to=${chinaDay(-1)}`), 400);
  });

  it('is readable by administrators and leaders only', async () => {
    const admin = await adminClient();
    for (const role of ['owner', 'staff'] as const) {
      const user = await signedInUser(admin, role, role === 'owner' ? await createOrganisation(admin) : undefined);
      expectProblem(await user.client.get('/api/audit'), 403);
    }
    expectProblem(await anonymousClient().get('/api/audit'), 401);
    expect((await admin.get('/api/audit')).status).to.equal(200);
  });

  it('records logins, failed logins and the hold-back that follows, with the address they came from', async () => {
    const admin = await adminClient();
    const user = await signedInUser(admin, 'staff');
    const from = { 'x-forwarded-for': '198.51.100.41' };
    for (let i = 0; i < service().settings.loginFailuresPerUser; i++) {
      expectProblem(await anonymousClient().post('/api/auth/login', { username: user.username, password: `wrong-${i}` }, { headers: from }), 401);
    }
    const entries = (await admin.get(`/api/audit?target=${user.username}&limit=200`)).body.items as any[];
    const failed = entries.filter((e) => e.action === 'auth.login_failed');
    expect(failed).to.have.length(service().settings.loginFailuresPerUser);
    expect(failed[0]).to.include({ address: '198.51.100.41' });
    expect(failed[0].actor).to.equal(undefined);
    const blocked = entries.filter((e) => e.action === 'auth.login_blocked');
    expect(blocked).to.have.length(1);
    expect(blocked[0].summary).to.match(/暂停 1 分钟/);
    const logins = entries.filter((e) => e.action === 'auth.login');
    expect(logins).to.have.length(1); // the fixture's own login
    expect(logins[0].actor).to.include({ id: user.id, username: user.username, role: 'staff' });
  });
});
