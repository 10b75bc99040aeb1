import { expect } from 'chai';
import mongoose from 'mongoose';
import { removeExpiredSessions, SESSION_COLLECTION } from '../src/accounts/session-records';
import { ApiClient } from './support/client';
import { service } from './support/hooks';
import { ADMIN } from './support/server';
import { startChildServer, type ChildServer } from './support/child-server';
import { adminClient, anonymousClient, createOrganisation, expectProblem, signedInUser, unique } from './support/fixtures';

describe('accounts and sessions', () => {
  it('logs in, reports the user with a CSRF token, and logs out', async () => {
    const client = new ApiClient(service().url);
    const login = await client.login(ADMIN.username, ADMIN.password);
    expect(login.status).to.equal(200);
    expect(login.body.user).to.include({ username: 'admin', role: 'admin' });
    expect(login.headers.getSetCookie().join(';')).to.match(/HttpOnly/i).and.match(/SameSite=Lax/i);
    const me = await client.get('/api/auth/me');
    expect(me.body.csrfToken).to.be.a('string').with.length.above(20);
    expect((await client.post('/api/auth/logout')).status).to.equal(204);
    expect((await client.get('/api/auth/me')).status).to.equal(401);
  });

  it('refuses bad credentials with 401 and a Chinese problem', async () => {
    const res = await new ApiClient(service().url).post('/api/auth/login', { username: 'admin', password: 'wrong-password' });
    expect(res.status).to.equal(401);
    expect(res.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(res.body.title).to.equal('未登录');
  });
});

describe('login rate limits', function () {
  this.timeout(60_000); // every login hashes with Argon2id, slow on a busy machine
  // Every test file shares the service and 127.0.0.1's failure budget (30): this test
  // comes from its own address, which the service trusts its loopback proxy to give.
  const from = { 'x-forwarded-for': '198.51.100.7' };

  it('locks one username out after its failed-login limit (5 by default), even with the right password, and no one else', async () => {
    const admin = await adminClient();
    const victim = await signedInUser(admin, 'staff');
    const bystander = await signedInUser(admin, 'leader');
    const limit = service().settings.loginFailuresPerUser;

    for (let i = 0; i < limit; i++) {
      const res = await anonymousClient().post('/api/auth/login', { username: victim.username, password: `wrong-${i}` }, { headers: from });
      expectProblem(res, 401);
    }
    const blocked = await anonymousClient().post('/api/auth/login', { username: victim.username, password: victim.password }, { headers: from });
    expectProblem(blocked, 429);
    expect(blocked.body.title).to.equal('请求过于频繁');
    expect(blocked.headers.getSetCookie()).to.have.length(0);

    // Another user from the same address is not affected.
    const other = anonymousClient();
    expect((await other.login(bystander.username, bystander.password)).status).to.equal(200);
  });

  it('does not count successful logins as failures', async () => {
    const admin = await adminClient();
    const user = await signedInUser(admin, 'leader');
    const limit = service().settings.loginFailuresPerUser;
    for (let i = 0; i < limit + 2; i++) {
      const res = await anonymousClient().post('/api/auth/login', { username: user.username, password: user.password }, { headers: from });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    }
    for (let i = 0; i < limit - 1; i++) {
      expectProblem(await anonymousClient().post('/api/auth/login', { username: user.username, password: 'nope-nope' }, { headers: from }), 401);
    }
    const stillIn = await anonymousClient().post('/api/auth/login', { username: user.username, password: user.password }, { headers: from });
    expect(stillIn.status, JSON.stringify(stillIn.body)).to.equal(200);
  });

  it("never locks the owner out: failures typed from one address do not hold back the same account elsewhere", async () => {
    const admin = await adminClient();
    const owner = await signedInUser(admin, 'admin');
    const attacker = { 'x-forwarded-for': '198.51.100.66' };
    for (let i = 0; i < service().settings.loginFailuresPerUser + 3; i++) {
      const res = await anonymousClient().post('/api/auth/login', { username: owner.username, password: `guess-${i}` }, { headers: attacker });
      expect(res.status).to.be.oneOf([401, 429]);
    }
    expectProblem(await anonymousClient().post('/api/auth/login', { username: owner.username, password: owner.password }, { headers: attacker }), 429);
    // The owner, at their own desk, logs in at once.
    const desk = await anonymousClient().post('/api/auth/login', { username: owner.username, password: owner.password }, { headers: { 'x-forwarded-for': '203.0.113.21' } });
    expect(desk.status, JSON.stringify(desk.body)).to.equal(200);
  });

  describe('growing hold-backs (own service, LOGIN_FIRST_HOLD_MS=1000)', () => {
    let child: ChildServer;

    before(async function () {
      this.timeout(180_000);
      child = await startChildServer({ env: { LOGIN_FIRST_HOLD_MS: '1000', LOGIN_FAILURES_PER_USER: '2' } });
    });
    after(async function () {
      this.timeout(30_000);
      await child?.dispose();
    });

    it('holds an account and address back 1 s, then 2 s after the next failure, and a right password afterwards clears it', async () => {
      const login = (password: string) => new ApiClient(child.url).post('/api/auth/login', { username: ADMIN.username, password });
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      for (const guess of ['guess-one', 'guess-two']) expectProblem(await login(guess), 401);
      const first = await login(ADMIN.password);
      expectProblem(first, 429);
      expect(first.headers.get('retry-after')).to.equal('1');
      await sleep(1100);
      expectProblem(await login('guess-three'), 401);
      expectProblem(await login('guess-four'), 401);
      const second = await login(ADMIN.password);
      expectProblem(second, 429);
      expect(second.headers.get('retry-after')).to.equal('2');
      await sleep(2100);
      expect((await login(ADMIN.password)).status).to.equal(200);
      expectProblem(await login('guess-five'), 401); // the count started again
    });
  });

  describe('per address (own service, LOGIN_FAILURES_PER_ADDRESS=3)', () => {
    let child: ChildServer;

    before(async function () {
      this.timeout(180_000);
      child = await startChildServer({ env: { LOGIN_FAILURES_PER_ADDRESS: '3' } });
    });
    after(async function () {
      this.timeout(30_000);
      await child?.dispose();
    });

    it('blocks every login from an address after 3 failures across different usernames', async () => {
      // Successful logins first: they do not count.
      for (let i = 0; i < 4; i++) {
        expect((await new ApiClient(child.url).login(ADMIN.username, ADMIN.password)).status).to.equal(200);
      }
      for (const username of [unique('nobody'), unique('nobody'), unique('nobody')]) {
        expectProblem(await new ApiClient(child.url).post('/api/auth/login', { username, password: 'guess-guess' }), 401);
      }
      expectProblem(await new ApiClient(child.url).post('/api/auth/login', { username: unique('nobody'), password: 'guess-guess' }), 429);
      // Even the right password is refused now, with the Chinese problem and a Retry-After.
      const blocked = await new ApiClient(child.url).post('/api/auth/login', { username: ADMIN.username, password: ADMIN.password });
      expectProblem(blocked, 429);
      expect(Number(blocked.headers.get('retry-after'))).to.be.above(0);
      // The limit is per address: another one (through the trusted loopback proxy) may still log in.
      const elsewhere = await new ApiClient(child.url).post(
        '/api/auth/login',
        { username: ADMIN.username, password: ADMIN.password },
        { headers: { 'x-forwarded-for': '203.0.113.9' } },
      );
      expect(elsewhere.status, JSON.stringify(elsewhere.body)).to.equal(200);
    });
  });
});

describe('CSRF protection', function () {
  this.timeout(60_000); // every login hashes with Argon2id, slow on a busy machine
  it('refuses a state change with a session but without the x-csrf-token header, and changes nothing', async () => {
    const admin = await adminClient();
    const name = unique('无令牌单位');
    const res = await admin.post('/api/orgs', { name }, { withoutCsrf: true });
    expectProblem(res, 403);
    const orgs = await admin.get('/api/orgs');
    expect(orgs.body.items.map((o: any) => o.name)).not.to.include(name);
    // Logging out is a state change too.
    expectProblem(await admin.post('/api/auth/logout', undefined, { withoutCsrf: true }), 403);
    expect((await admin.get('/api/auth/me')).status).to.equal(200);
  });

  it('refuses a wrong token, and a token from another session', async () => {
    const admin = await adminClient();
    const other = await adminClient();
    const forged = new ApiClient(service().url);
    forged.useSessionCookie(admin.sessionCookie, 'a'.repeat(256));
    expectProblem(await forged.post('/api/orgs', { name: unique('伪造令牌单位') }), 403);
    forged.useSessionCookie(admin.sessionCookie, other.csrf);
    expectProblem(await forged.post('/api/orgs', { name: unique('他人令牌单位') }), 403);
    // The right token works.
    expect((await admin.post('/api/orgs', { name: unique('有令牌单位') })).status).to.equal(201);
  });
});

describe('sessions', function () {
  this.timeout(60_000); // every login hashes with Argon2id, slow on a busy machine
  it('gives a new session cookie on login, and the old one is worthless afterwards (no session fixation)', async () => {
    const admin = await adminClient();
    const user = await signedInUser(admin, 'leader');
    const before = user.client.sessionCookie;
    expect(before).to.match(/^fundflow\.sid=.+/);

    const again = await user.client.login(user.username, user.password);
    expect(again.status).to.equal(200);
    const after = user.client.sessionCookie;
    expect(after).to.match(/^fundflow\.sid=.+/);
    expect(after).not.to.equal(before);
    expect((await user.client.get('/api/auth/me')).status).to.equal(200);

    const stale = new ApiClient(service().url);
    stale.useSessionCookie(before);
    expectProblem(await stale.get('/api/auth/me'), 401);
  });

  it('does not adopt a session id planted by someone else', async () => {
    const admin = await adminClient();
    const user = await signedInUser(admin, 'leader');
    const planted = 'fundflow.sid=s%3Aplanted-by-attacker.bm90LWEtcmVhbC1zaWduYXR1cmU';
    const victim = new ApiClient(service().url);
    victim.useSessionCookie(planted);
    expect((await victim.login(user.username, user.password)).status).to.equal(200);
    expect(victim.sessionCookie).not.to.equal(planted);
    const attacker = new ApiClient(service().url);
    attacker.useSessionCookie(planted);
    expectProblem(await attacker.get('/api/auth/me'), 401);
  });

  it('sweeps expired sessions away and leaves the live ones signed in', async () => {
    const client = await adminClient(service().url);
    const sessions = mongoose.connection.collection<{ _id: string; expires: Date; session: object }>(SESSION_COLLECTION);
    const expired = unique('expired-session');
    await sessions.insertOne({ _id: expired, expires: new Date(Date.now() - 1000), session: { cookie: {}, userId: client.user!.id } });
    expect(await removeExpiredSessions()).to.be.at.least(1);
    expect(await sessions.findOne({ _id: expired })).to.equal(null);
    expect((await client.get('/api/auth/me')).body.user.username).to.equal(ADMIN.username);
  });

  it('ends the session on the server at logout: a copy of the cookie is worthless afterwards', async () => {
    const admin = await adminClient();
    const user = await signedInUser(admin, 'leader');
    const copy = new ApiClient(service().url);
    copy.useSessionCookie(user.client.sessionCookie, user.client.csrf);
    expect((await copy.get('/api/auth/me')).status).to.equal(200);
    expect((await user.client.post('/api/auth/logout')).status).to.equal(204);
    expectProblem(await copy.get('/api/auth/me'), 401);
    expectProblem(await copy.get('/api/projects'), 401);
  });

  it('ends a user\'s sessions when the administrator sets a new password; the new one works, the old one not', async () => {
    const admin = await adminClient();
    const user = await signedInUser(admin, 'staff');
    const changed = await admin.patch(`/api/users/${user.id}`, { password: 'a-brand-new-password' });
    expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
    expectProblem(await user.client.get('/api/auth/me'), 401);
    expectProblem(await new ApiClient(service().url).post('/api/auth/login', { username: user.username, password: user.password }), 401);
    expect((await new ApiClient(service().url).login(user.username, 'a-brand-new-password')).status).to.equal(200);
  });

  it('puts a disabled user out at once: the old cookie gets 401 and the password no longer works', async () => {
    const admin = await adminClient();
    const user = await signedInUser(admin, 'staff');
    expect((await user.client.get('/api/auth/me')).status).to.equal(200);

    const disabled = await admin.patch(`/api/users/${user.id}`, { disabled: true });
    expect(disabled.status, JSON.stringify(disabled.body)).to.equal(200);
    expect(disabled.body.user).to.include({ id: user.id, disabled: true });

    expectProblem(await user.client.get('/api/auth/me'), 401);
    expectProblem(await user.client.get('/api/projects'), 401);
    expectProblem(await new ApiClient(service().url).post('/api/auth/login', { username: user.username, password: user.password }), 401);

    // Enabled again, the same password works.
    expect((await admin.patch(`/api/users/${user.id}`, { disabled: false })).status).to.equal(200);
    expect((await new ApiClient(service().url).login(user.username, user.password)).status).to.equal(200);
  });
});

describe('administration of organisations and users', function () {
  this.timeout(60_000); // every login hashes with Argon2id, slow on a busy machine
  it('creates an organisation, lists it, and refuses a duplicate name with 409', async () => {
    const admin = await adminClient();
    const name = unique('区人民医院');
    const created = await admin.post('/api/orgs', { name, kind: '事业单位' });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.organisation).to.include({ name, kind: '事业单位' });
    expect(created.body.organisation.id).to.match(/^[0-9a-f]{24}$/);

    const list = await admin.get('/api/orgs');
    expect(list.status).to.equal(200);
    expect(list.body.items).to.deep.include({ id: created.body.organisation.id, name, kind: '事业单位' });

    const duplicate = await admin.post('/api/orgs', { name });
    expectProblem(duplicate, 409);
    expect((await admin.get('/api/orgs')).body.items.filter((o: any) => o.name === name)).to.have.length(1);
  });

  it('refuses an organisation without a proper name with 422', async () => {
    const admin = await adminClient();
    const res = await admin.post('/api/orgs', { kind: '事业单位' });
    expectProblem(res, 422);
    expect(res.body.errors.map((e: any) => e.path)).to.include('name');
  });

  it('creates users of each role, lists them without password hashes, and refuses a duplicate username with 409', async () => {
    const admin = await adminClient();
    const orgId = await createOrganisation(admin);
    const username = unique('owner');
    const created = await admin.post('/api/users', { username, password: 'a-long-password', displayName: '张三', role: 'owner', orgId });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.user).to.include({ username, displayName: '张三', role: 'owner', orgId, disabled: false });
    expect(JSON.stringify(created.body)).not.to.match(/password/i);

    const me = new ApiClient(service().url);
    expect((await me.login(username, 'a-long-password')).status).to.equal(200);
    expect(me.user).to.include({ username, role: 'owner', orgId });

    const duplicate = await admin.post('/api/users', { username, password: 'another-password', displayName: '李四', role: 'staff' });
    expectProblem(duplicate, 409);

    const list = await admin.get('/api/users?limit=200');
    expect(list.status).to.equal(200);
    expect(list.body).to.include.keys('items', 'total', 'page', 'limit');
    expect(list.body.items.map((u: any) => u.username)).to.include(username);
    expect(JSON.stringify(list.body)).not.to.match(/passwordHash|argon2/);
  });

  it('requires an organisation for an owner: 422 with errors[].path "orgId"', async () => {
    const admin = await adminClient();
    const res = await admin.post('/api/users', { username: unique('owner'), password: 'a-long-password', displayName: '无单位', role: 'owner' });
    expectProblem(res, 422);
    expect(res.body.errors).to.be.an('array');
    expect(res.body.errors.map((e: any) => e.path)).to.include('orgId');

    const unknownOrg = await admin.post('/api/users', {
      username: unique('owner'),
      password: 'a-long-password',
      displayName: '单位不存在',
      role: 'owner',
      orgId: '0123456789abcdef01234567',
    });
    expectProblem(unknownOrg, 422);
    expect(unknownOrg.body.errors.map((e: any) => e.path)).to.include('orgId');
  });

  it('refuses to make a user an owner without an organisation (PATCH, 422 on orgId), and keeps the role', async () => {
    const admin = await adminClient();
    const user = await signedInUser(admin, 'staff');
    const res = await admin.patch(`/api/users/${user.id}`, { role: 'owner' });
    expectProblem(res, 422);
    expect(res.body.errors.map((e: any) => e.path)).to.include('orgId');
    expect((await user.client.get('/api/auth/me')).body.user.role).to.equal('staff');
    expectProblem(await admin.patch('/api/users/0123456789abcdef01234567', { displayName: '无此人' }), 404);
  });

  it('refuses a short password and a malformed username with field errors', async () => {
    const admin = await adminClient();
    const res = await admin.post('/api/users', { username: 'a b', password: 'short', displayName: '某人', role: 'staff' });
    expectProblem(res, 422);
    expect(res.body.errors.map((e: any) => e.path)).to.include.members(['username', 'password']);
  });

  it('refuses weak passwords for new users and new passwords: short, common, or containing the username (422 on "password")', async () => {
    const admin = await adminClient();
    const user = await signedInUser(admin, 'staff');
    const username = unique('zhangwei');
    for (const password of ['12345678', '123456789012', 'password1234', 'Qwertyuiop123', `${username}-2024!`]) {
      const created = await admin.post('/api/users', { username, password, displayName: '弱密码', role: 'admin' });
      expectProblem(created, 422);
      expect(created.body.errors.map((e: any) => e.path), password).to.deep.equal(['password']);
      const changed = await admin.patch(`/api/users/${user.id}`, { password: password.replace(username, user.username) });
      expectProblem(changed, 422);
      expect(changed.body.errors.map((e: any) => e.path)).to.deep.equal(['password']);
    }
    expect((await admin.post('/api/users', { username, password: 'Shiqiao-river-bridge-26', displayName: '强密码', role: 'admin' })).status).to.equal(201);
    // The refused changes changed nothing: the old password still works.
    expect((await new ApiClient(service().url).login(user.username, user.password)).status).to.equal(200);
  });

  it('lets only the administrator change organisations and users (staff and leaders may list organisations), 401 without a session', async () => {
    const admin = await adminClient();
    const orgId = await createOrganisation(admin);
    const users = [
      await signedInUser(admin, 'owner', orgId),
      await signedInUser(admin, 'staff'),
      await signedInUser(admin, 'leader'),
    ];
    const [owner, staff, leader] = users;
    expectProblem(await owner!.client.get('/api/orgs'), 403);
    for (const { client } of [staff!, leader!]) {
      const orgs = await client.get('/api/orgs');
      expect(orgs.status).to.equal(200);
      expect(orgs.body.items.map((o: any) => o.id)).to.include(orgId);
    }
    for (const { client } of users) {
      expectProblem(await client.post('/api/orgs', { name: unique('越权单位') }), 403);
      expectProblem(await client.get('/api/users'), 403);
      expectProblem(
        await client.post('/api/users', { username: unique('sneaky'), password: 'a-long-password', displayName: '越权', role: 'admin' }),
        403,
      );
      expectProblem(await client.patch(`/api/users/${client.user!.id}`, { role: 'admin' }), 403);
    }
    expectProblem(await anonymousClient().get('/api/orgs'), 401);
    expectProblem(await anonymousClient().get('/api/users'), 401);
  });
});

describe('passwords chosen by their users (issue "What people stumble over in the browser", point 7)', function () {
  this.timeout(60_000); // every password is hashed with Argon2id

  it('makes a password the administrator resets a temporary one: nothing but choosing one\'s own until it is changed', async () => {
    const admin = await adminClient();
    const user = await signedInUser(admin, 'staff');
    const temporary = 'Tmp-Kw4q-Zr8m-Hx2v';
    const reset = await admin.patch(`/api/users/${user.id}`, { password: temporary });
    expect(reset.status, JSON.stringify(reset.body)).to.equal(200);
    expect(reset.body.user).to.include({ mustChangePassword: true });
    expectProblem(await user.client.get('/api/auth/me'), 401);

    const client = new ApiClient(service().url);
    expect((await client.login(user.username, temporary)).status).to.equal(200);
    expect((await client.get('/api/auth/me')).body.user).to.include({ mustChangePassword: true });
    const refused = await client.get('/api/projects');
    expectProblem(refused, 403);
    expect(refused.body.detail).to.equal('您正在使用管理员设置的临时密码，请先修改密码');
    expectProblem(await client.get('/api/queue'), 403);

    const change = (currentPassword: string, newPassword: string) => client.post('/api/auth/password', { currentPassword, newPassword });
    const fieldOf = (res: { body: any }) => res.body.errors.map((e: any) => [e.path, e.message]);
    expect(fieldOf(await change('not-the-password', 'Lantern-orchard-48-quay'))).to.deep.equal([['currentPassword', '当前密码不正确']]);
    expect(fieldOf(await change(temporary, temporary))).to.deep.equal([['newPassword', '新密码不能与当前密码相同']]);
    expect(fieldOf(await change(temporary, 'password1234'))[0][0]).to.equal('newPassword');
    expect(fieldOf(await change(temporary, `x${user.username}x-Qz8!`))).to.deep.equal([['newPassword', '密码不能包含用户名']]);
    expect((await change(temporary, 'Lantern-orchard-48-quay')).status).to.equal(204);

    expect((await client.get('/api/auth/me')).body.user).not.to.have.property('mustChangePassword');
    expect((await client.get('/api/projects')).status).to.equal(200);
    expectProblem(await new ApiClient(service().url).post('/api/auth/login', { username: user.username, password: temporary }), 401);
    const users = await admin.get('/api/users?limit=200');
    expect(users.body.items.find((u: any) => u.id === user.id)).not.to.have.property('mustChangePassword');

    const audit = await admin.get(`/api/audit?target=${user.id}`);
    expect(audit.body.items.map((e: any) => [e.action, e.actionLabel, e.actor.username])).to.deep.include.members([
      ['user.password_change', '修改密码', user.username],
      ['user.password_reset', '重置密码', 'admin'],
    ]);
    expect((await admin.get(`/api/audit?q=${encodeURIComponent('重置密码')}&target=${user.id}`)).body.total).to.equal(1);
  });

  it('lets every user change their own password: their other sessions end, the one they changed it in goes on', async () => {
    const admin = await adminClient();
    const orgId = await createOrganisation(admin);
    for (const role of ['owner', 'leader', 'admin'] as const) {
      const user = await signedInUser(admin, role, role === 'owner' ? orgId : undefined);
      const elsewhere = new ApiClient(service().url);
      expect((await elsewhere.login(user.username, user.password)).status).to.equal(200);
      const chosen = `Harbour-${role}-lamp-93`;
      expect((await user.client.post('/api/auth/password', { currentPassword: user.password, newPassword: chosen })).status, role).to.equal(204);
      expect((await user.client.get('/api/auth/me')).status, role).to.equal(200);
      expectProblem(await elsewhere.get('/api/auth/me'), 401);
      expect((await new ApiClient(service().url).login(user.username, chosen)).status, role).to.equal(200);
    }
    expectProblem(await anonymousClient().post('/api/auth/password', { currentPassword: 'x', newPassword: 'Harbour-anyone-lamp-93' }), 401);
  });

  it('lets the administrator change a user\'s name, role and organisation; a new role or organisation signs them out', async () => {
    const admin = await adminClient();
    const [first, second] = [await createOrganisation(admin), await createOrganisation(admin)];
    const user = await signedInUser(admin, 'owner', first);
    const renamed = await admin.patch(`/api/users/${user.id}`, { displayName: '王五' });
    expect(renamed.body.user).to.include({ displayName: '王五', role: 'owner', orgId: first });
    expect((await user.client.get('/api/auth/me')).body.user).to.include({ displayName: '王五' });
    const moved = await admin.patch(`/api/users/${user.id}`, { orgId: second });
    expect(moved.body.user).to.include({ orgId: second });
    expectProblem(await user.client.get('/api/auth/me'), 401);
    const promoted = await admin.patch(`/api/users/${user.id}`, { role: 'leader' });
    expect(promoted.body.user).to.include({ role: 'leader' });
  });
});
