/**
 * Notifications by e-mail through a real SMTP server run in this process
 * (smtp-server, messages read back with mailparser), on a service of its own
 * (a child process) so that it can be restarted and killed: mail queued while
 * the SMTP server is down survives a restart and arrives once it is up; a
 * follower that derives the whole history again after a crash doubles nothing;
 * without mail settings, notifications stay in the app and nothing fails.
 */
import { expect } from 'chai';
import { simpleParser, type ParsedMail } from 'mailparser';
import mongoose from 'mongoose';
import { SMTPServer } from 'smtp-server';
import { liveHolder } from '../src/db/data-dir-lock';
import { freePort, startChildServer, type ChildServer } from './support/child-server';
import { ApiClient } from './support/client';
import { adminClient, advance, createOrganisation, createProject, getProject, review, signedInUser, upload, type TestUser } from './support/fixtures';
import { eventually } from './faults/support';

const SMTP_USER = 'fundflow';
const SMTP_PASSWORD = 'smtp-secret-Lq83';
const PUBLIC_URL = 'http://fgj.example.gov.cn';

/** An SMTP server on 127.0.0.1 that takes mail only with the right login and keeps every message it got. */
class TestSmtpServer {
  readonly received: ParsedMail[] = [];
  private server?: SMTPServer;

  constructor(readonly port: number) {}

  async start(): Promise<void> {
    const server = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) =>
        auth.username === SMTP_USER && auth.password === SMTP_PASSWORD ? callback(null, { user: SMTP_USER }) : callback(new Error('用户名或密码错误')),
      onData: (stream, _session, callback) => {
        simpleParser(stream).then((mail) => {
          this.received.push(mail);
          callback();
        }, callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  to(address: string): ParsedMail[] {
    return this.received.filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.value.some((a) => a.address === address));
  }
}

/** The same browser session, talking to the service at its new address. */
function sameSession(client: ApiClient, url: string): ApiClient {
  const moved = new ApiClient(url);
  moved.useSessionCookie(client.sessionCookie, client.csrf);
  moved.user = client.user;
  return moved;
}

async function inbox(client: ApiClient) {
  const res = await client.get('/api/notifications?limit=100');
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body as { items: { id: string; kind: string; projectId: string; read: boolean }[]; unread: number };
}

describe('notifications by e-mail, across restarts', function () {
  this.timeout(300_000);
  let child: ChildServer | undefined;
  let smtp: TestSmtpServer;
  let admin: ApiClient;
  let owner: TestUser;
  let staff: TestUser;
  let quietStaff: TestUser;
  let projectId = '';
  const start = (workDir?: string) =>
    startChildServer({ workDir, env: { MAIL_RETRY_MS: '300', PUBLIC_URL, LOG_LEVEL: 'info' }, collect: /catching up/ });

  before(async () => {
    smtp = new TestSmtpServer(await freePort());
    await smtp.start();
    child = await start();
    admin = await adminClient(child.url);
    const orgId = await createOrganisation(admin);
    [owner, staff, quietStaff] = await Promise.all([signedInUser(admin, 'owner', orgId), signedInUser(admin, 'staff'), signedInUser(admin, 'staff')]);
  });

  after(async () => {
    await child?.dispose();
    await smtp?.stop();
  });

  it('keeps the SMTP settings for the administrator, never showing or logging the password', async () => {
    const empty = await admin.get('/api/settings/mail');
    expect(empty.body.settings).to.equal(null);
    const body = { host: '127.0.0.1', port: smtp.port, secure: false, user: SMTP_USER, password: SMTP_PASSWORD, from: '发改局项目资金申报 <noreply@fgj.example.gov.cn>' };
    const saved = await admin.put('/api/settings/mail', body);
    expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
    expect(saved.body.settings).to.deep.equal({ host: '127.0.0.1', port: smtp.port, secure: false, user: SMTP_USER, from: body.from, passwordSet: true });
    // A form sends the settings back without the password it never saw: the stored one stays.
    const { password: _password, ...withoutPassword } = body;
    expect((await admin.put('/api/settings/mail', withoutPassword)).body.settings.passwordSet).to.equal(true);
    const audit = await admin.get('/api/audit?action=settings.mail');
    expect(audit.body.items.length).to.be.at.least(1);
    for (const res of [saved, await admin.get('/api/settings/mail'), audit]) expect(JSON.stringify(res.body)).not.to.contain(SMTP_PASSWORD);
    expect((await staff.client.get('/api/settings/mail')).status).to.equal(403);

    for (const [who, email, kinds] of [[owner, 'xmzx@example.gov.cn', ['document_rejected', 'project_returned']], [staff, 'tzk@example.gov.cn', ['document_review']]] as const) {
      const res = await who.client.put('/api/notifications/preferences', { email, emailKinds: kinds });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.mailConfigured).to.equal(true);
    }
    await quietStaff.client.put('/api/notifications/preferences', { email: 'quiet@example.gov.cn', emailKinds: [] });
  });

  it('mails what each user chose, in Chinese, with a link to the project at the public address', async () => {
    const project = await createProject(owner.client);
    projectId = project.id;
    await upload(owner.client, project.id, 'proposal', '项目建议书.pdf');
    await eventually('the mail to staff', async () => smtp.to('tzk@example.gov.cn').length === 1, 20_000);
    const [mail] = smtp.to('tzk@example.gov.cn');
    expect(mail!.subject).to.equal(`【项目资金申报】材料待审核：${project.name}`);
    expect(mail!.from!.value[0]).to.deep.include({ address: 'noreply@fgj.example.gov.cn', name: '发改局项目资金申报' });
    expect(mail!.text).to.contain('上传了“项目建议书或项目简介”第 1 版（项目建议书.pdf），请审核。').and.contain(`${PUBLIC_URL}/projects/${project.id}`);
    // Those who chose no mail for it, or cannot receive the kind, get none.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(smtp.to('quiet@example.gov.cn')).to.deep.equal([]);
    expect(smtp.to('xmzx@example.gov.cn')).to.deep.equal([]);
  });

  it('queues mail while the SMTP server is down, keeps it across a restart, and delivers it once the server is back', async () => {
    await smtp.stop();
    const [document] = (await staff.client.get(`/api/projects/${projectId}/documents`)).body.items;
    await review(staff.client, document.id, 'reject', '缺少投资估算');
    await eventually('a failed attempt', async () => Boolean((await admin.get('/api/settings/mail')).body.outbox.lastFailure), 20_000);
    expect((await admin.get('/api/settings/mail')).body.outbox.waiting).to.equal(1);

    const exit = await child!.stop();
    expect(exit.forced, child!.output()).to.equal(false);
    child = await start(child!.workDir);
    admin = sameSession(admin, child.url);
    expect((await admin.get('/api/settings/mail')).body.outbox.waiting).to.equal(1);

    await smtp.start();
    await eventually('the mail sent back', async () => smtp.to('xmzx@example.gov.cn').length >= 1, 60_000);
    const [mail] = smtp.to('xmzx@example.gov.cn');
    expect(mail!.subject).to.contain('材料被退回').and.contain('【项目资金申报】');
    expect(mail!.text).to.contain('缺少投资估算');
    await eventually('the outbox emptied', async () => (await admin.get('/api/settings/mail')).body.outbox.waiting === 0, 10_000);
  });

  it('doubles nothing when the follower derives the whole history again after a crash', async () => {
    owner = { ...owner, client: sameSession(owner.client, child!.url) };
    staff = { ...staff, client: sameSession(staff.client, child!.url) };
    const current = await getProject(owner.client, projectId);
    await review(staff.client, (await upload(owner.client, projectId, 'proposal')).id, 'accept');
    await advance(staff.client, await advance(owner.client, await getProject(owner.client, current.id), 'SUBMIT'), 'RETURN', { reason: '请补充建设规模' });
    await eventually('the return mailed', async () => smtp.to('xmzx@example.gov.cn').length === 2, 20_000);
    const before = { owner: await inbox(owner.client), staff: await inbox(staff.client), mails: smtp.received.length };
    expect(before.owner.items.map((n) => n.kind)).to.deep.equal(['project_returned', 'document_rejected']);

    // The follower's cursors are lost, and the service dies before writing them again: the next start derives every entry again.
    const database = await new mongoose.mongo.MongoClient((await liveHolder(child!.dataDir))!.uri!, { directConnection: true }).connect();
    await database.db('fundflow').collection('notification_cursors').deleteMany({ _id: { $ne: 'started' } as never });
    await database.close();
    child!.process.kill('SIGKILL');
    await eventually("the killed service's database goes away with it", async () => (await child!.databasePids()).length === 0, 20_000);
    child = await start(child!.workDir);
    owner = { ...owner, client: sameSession(owner.client, child.url) };
    staff = { ...staff, client: sameSession(staff.client, child.url) };
    await eventually('the follower caught up', async () => child!.collected().length > 0, 20_000);
    await eventually('the cursors written again', async () => {
      const db = await new mongoose.mongo.MongoClient((await liveHolder(child!.dataDir))!.uri!, { directConnection: true }).connect();
      const cursors = await db.db('fundflow').collection('notification_cursors').countDocuments();
      await db.close();
      return cursors > 1;
    }, 30_000);

    expect(await inbox(owner.client)).to.deep.equal(before.owner);
    expect(await inbox(staff.client)).to.deep.equal(before.staff);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(smtp.received.length).to.equal(before.mails);
  });

  it('without mail settings keeps notifications in the app, and nothing fails', async () => {
    admin = sameSession(admin, child!.url);
    expect((await admin.request('DELETE', '/api/settings/mail')).status).to.equal(204);
    expect((await admin.get('/api/settings/mail')).body.settings).to.equal(null);
    const mails = smtp.received.length;
    const project = await createProject(owner.client);
    const document = await upload(owner.client, project.id, 'proposal');
    await review(staff.client, document.id, 'reject', '文件损坏');
    await eventually('the notification in the app', async () => (await inbox(owner.client)).items.some((n) => n.projectId === project.id), 20_000);
    expect((await owner.client.get('/api/notifications/preferences')).body.mailConfigured).to.equal(false);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(smtp.received.length).to.equal(mails);
    expect((await admin.get('/api/settings/mail')).body.outbox.waiting).to.equal(0);
  });
});
