/**
 * Notifications (issue 15, item 4) on the shared service: who hears of what,
 * and nobody of another organisation's project; read and unread; paging; the
 * deadlines the sweep finds; preferences. E-mail and restarts are in
 * notification-mail.test.ts, on a service of their own.
 */
import { expect } from 'chai';
import { rules } from '../workflows/rules-file';
import { monthOf, previousMonth, reportDueOn } from '../workflows/schedule';
import { addWorkingDays, chinaDay, isWorkingDay } from '../workflows/working-days';
import { notify } from '../src/notifications/notify';
import { sweep } from '../src/notifications/sweep';
import { ApiClient } from './support/client';
import {
  adminClient,
  advance,
  createOrganisation,
  createProject,
  expectProblem,
  getProject,
  review,
  signedInUser,
  upload,
  type TestUser,
} from './support/fixtures';
import { eventually } from './faults/support';

const DAY_MS = 86_400_000;

async function inbox(client: ApiClient, query = 'limit=100') {
  const res = await client.get(`/api/notifications?${query}`);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body as { items: { id: string; kind: string; title: string; text: string; projectId: string; read: boolean }[]; unread: number; nextBefore?: number };
}

/** The user's notifications about one project, once `count` of them have arrived (the follower derives them a moment after the change). */
async function arrived(client: ApiClient, projectId: string, count: number) {
  let items: Awaited<ReturnType<typeof inbox>>['items'] = [];
  await eventually(`${count} notification(s) about ${projectId}`, async () => {
    items = (await inbox(client)).items.filter((n) => n.projectId === projectId);
    return items.length >= count;
  }, 10_000);
  expect(items).to.have.length(count);
  return items;
}

/** Enough time for the follower to have derived whatever it would (it runs 0.2 s after a change). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000));

const about = <T extends { projectId: string }>(items: T[], projectId: string) => items.filter((n) => n.projectId === projectId);

describe('notifications', function () {
  this.timeout(120_000);
  let admin: ApiClient;
  let owner: TestUser;
  let colleague: TestUser;
  let stranger: TestUser;
  let staff: TestUser;
  let otherStaff: TestUser;
  let leader: TestUser;

  before(async () => {
    admin = await adminClient();
    const [orgId, otherOrgId] = await Promise.all([createOrganisation(admin), createOrganisation(admin)]);
    [owner, colleague, stranger, staff, otherStaff, leader] = await Promise.all([
      signedInUser(admin, 'owner', orgId),
      signedInUser(admin, 'owner', orgId),
      signedInUser(admin, 'owner', otherOrgId),
      signedInUser(admin, 'staff'),
      signedInUser(admin, 'staff'),
      signedInUser(admin, 'leader'),
    ]);
  });

  it('tells every member of staff of a file awaiting review, and nobody else', async () => {
    const project = await createProject(owner.client);
    await upload(owner.client, project.id, 'proposal', '项目建议书.pdf');
    for (const reviewer of [staff, otherStaff]) {
      const [notification] = await arrived(reviewer.client, project.id, 1);
      expect(notification).to.include({ kind: 'document_review', read: false, title: `材料待审核：${project.name}` });
      expect(notification!.text).to.contain('项目建议书或项目简介').and.contain('第 1 版').and.contain('项目建议书.pdf');
    }
    await settle();
    for (const other of [owner, colleague, stranger, leader]) expect(about((await inbox(other.client)).items, project.id), other.username).to.deep.equal([]);
  });

  it('tells the unit of a file sent back, a return and a rejection, with the reason, and never another unit', async () => {
    const project = await createProject(owner.client);
    const proposal = await upload(owner.client, project.id, 'proposal');
    await review(staff.client, proposal.id, 'reject', '缺少投资估算');
    await review(staff.client, (await upload(owner.client, project.id, 'proposal')).id, 'accept');
    const submitted = await advance(owner.client, await getProject(owner.client, project.id), 'SUBMIT');
    await advance(staff.client, submitted, 'RETURN', { reason: '建设内容与规模不清' });

    const rejected = await createProject(colleague.client);
    await review(staff.client, (await upload(colleague.client, rejected.id, 'proposal')).id, 'accept');
    await advance(staff.client, await advance(colleague.client, await getProject(colleague.client, rejected.id), 'SUBMIT'), 'REJECT', { reason: '不符合投向' });

    for (const member of [owner, colleague]) {
      const items = await arrived(member.client, project.id, 2);
      expect(items.map((n) => n.kind)).to.deep.equal(['project_returned', 'document_rejected']);
      expect(items[0]!.text).to.contain('退回至“谋划（草稿）”').and.contain('建设内容与规模不清');
      expect(items[1]!.text).to.contain('缺少投资估算');
      const [rejection] = await arrived(member.client, rejected.id, 1);
      expect(rejection).to.include({ kind: 'project_rejected', title: `不予入库：${rejected.name}` });
    }
    await settle();
    // The other unit, staff and leaders hear nothing of either project's setbacks (staff were told of the uploads only).
    expect((await inbox(stranger.client)).items).to.deep.equal([]);
    for (const other of [staff, otherStaff, leader]) {
      const kinds = about((await inbox(other.client)).items, project.id).map((n) => n.kind);
      expect(kinds.every((k) => k === 'document_review'), other.username).to.equal(true);
    }
  });

  it('counts unread, marks one or all read, and keeps each user to their own', async () => {
    const project = await createProject(owner.client);
    for (const reason of ['扫描不清', '缺少盖章', '版本过旧']) await review(staff.client, (await upload(owner.client, project.id, 'proposal')).id, 'reject', reason);
    const items = await arrived(colleague.client, project.id, 3);
    const before = await inbox(colleague.client);
    expect(before.unread).to.be.at.least(3);
    expect((await colleague.client.post(`/api/notifications/${items[0]!.id}/read`)).status).to.equal(204);
    expect((await colleague.client.post(`/api/notifications/${items[0]!.id}/read`)).status).to.equal(204);
    const after = await inbox(colleague.client);
    expect(after.unread).to.equal(before.unread - 1);
    expect(after.items.find((n) => n.id === items[0]!.id)!.read).to.equal(true);
    expect((await inbox(colleague.client, 'limit=0'))).to.deep.equal({ items: [], unread: before.unread - 1 });

    // Another user's notification, even of the same unit, is unknown to them; a made-up one too.
    expectProblem(await owner.client.post(`/api/notifications/${items[1]!.id}/read`), 404);
    expectProblem(await stranger.client.post(`/api/notifications/${items[1]!.id}/read`), 404);
    expectProblem(await colleague.client.post(`/api/notifications/nothing:here~${'0'.repeat(24)}/read`), 404);
    expectProblem(await colleague.client.post('/api/notifications/not-an-id/read'), 400);

    expect((await colleague.client.post('/api/notifications/read-all')).status).to.equal(204);
    const cleared = await inbox(colleague.client);
    expect(cleared.unread).to.equal(0);
    expect(cleared.items.every((n) => n.read)).to.equal(true);

    await review(staff.client, (await upload(owner.client, project.id, 'proposal')).id, 'reject', '仍缺少盖章');
    await arrived(colleague.client, project.id, 4);
    expect((await inbox(colleague.client)).unread).to.equal(1);
  });

  it('pages newest first, each notification once', async () => {
    const project = await createProject(owner.client);
    for (let i = 0; i < 5; i++) await upload(owner.client, project.id, 'proposal');
    const all = await arrived(otherStaff.client, project.id, 5);
    expect(all.map((n) => n.text.match(/第 (\d) 版/)![1])).to.deep.equal(['5', '4', '3', '2', '1']);
    const seen: string[] = [];
    let query = 'limit=2';
    for (;;) {
      const page = await inbox(otherStaff.client, query);
      expect(page.items.length).to.be.at.most(2);
      seen.push(...page.items.map((n) => n.id));
      if (page.nextBefore === undefined) break;
      query = `limit=2&before=${page.nextBefore}`;
    }
    const everything = (await inbox(otherStaff.client)).items.map((n) => n.id);
    expect(seen).to.deep.equal(everything);
    expect(new Set(seen).size).to.equal(seen.length);
  });

  it('tells staff of a review due by the next working day, then overdue, once each', async () => {
    const project = await createProject(owner.client);
    await review(staff.client, (await upload(owner.client, project.id, 'proposal')).id, 'accept');
    const submitted = await advance(owner.client, await getProject(owner.client, project.id), 'SUBMIT');
    const { dueDate } = (await getProject(staff.client, submitted.id)).review;
    // The last working day before the due date, at noon in China.
    let dayBefore = new Date(Date.parse(`${dueDate}T04:00:00Z`) - DAY_MS);
    while (!isWorkingDay(chinaDay(dayBefore))) dayBefore = new Date(dayBefore.getTime() - DAY_MS);
    expect(addWorkingDays(dayBefore, 1)).to.equal(dueDate);

    await sweep(new Date(dayBefore.getTime() - DAY_MS));
    await sweep(dayBefore);
    await sweep(dayBefore);
    const overdueAt = new Date(Date.parse(`${dueDate}T04:00:00Z`) + DAY_MS);
    await sweep(overdueAt);
    await sweep(new Date(overdueAt.getTime() + DAY_MS));

    for (const reviewer of [staff, otherStaff]) {
      const items = (await inbox(reviewer.client)).items.filter((n) => n.projectId === project.id && n.kind.startsWith('review_'));
      expect(items.map((n) => n.kind)).to.deep.equal(['review_overdue', 'review_due']);
      expect(items[0]!.text).to.contain(`已于 ${dueDate} 到期`);
      expect(items[1]!.text).to.contain(`将于 ${dueDate} 到期`);
    }
    for (const other of [owner, colleague, stranger, leader]) expect(about((await inbox(other.client)).items, project.id).filter((n) => n.kind.startsWith('review_'))).to.deep.equal([]);
  });

  it("tells staff of a file's review (限时办结) overdue, once, and forgets it once the file is reviewed", async () => {
    const project = await createProject(owner.client);
    const file = await upload(owner.client, project.id, 'proposal');
    const [waiting] = (await getProject(staff.client, project.id)).fileReviews;
    expect(waiting).to.include({ docType: 'proposal', version: 1 });
    const late = new Date(Date.parse(`${waiting.dueDate}T04:00:00Z`) + DAY_MS);
    await sweep(late);
    await sweep(late);
    const overdue = (await inbox(otherStaff.client)).items.filter((n) => n.projectId === project.id && n.kind === 'review_overdue');
    expect(overdue.map((n) => n.text)).to.deep.equal([`“项目建议书或项目简介”第 1 版的审核已于 ${waiting.dueDate} 到期，请尽快办理。`]);
    await review(staff.client, file.id, 'accept');
    await sweep(new Date(late.getTime() + DAY_MS));
    expect((await inbox(otherStaff.client)).items.filter((n) => n.projectId === project.id && n.kind === 'review_overdue')).to.have.length(1);
    expect(about((await inbox(owner.client)).items, project.id)).to.deep.equal([]);
  });

  it("tells the unit of last month's report due, then late, and nobody else", async () => {
    const now = new Date();
    const month = previousMonth(monthOf(chinaDay(now)));
    const dueDate = reportDueOn(month, rules);
    const project = await createProject(owner.client);
    const planned = await staff.client.put(`/api/projects/${project.id}/plans/${month.slice(0, 4)}`, { plannedInvestment: 5_000_000, plannedStart: `${month}-01` });
    expect(planned.status, JSON.stringify(planned.body)).to.equal(200);

    // The first of this month (due), and the day after the due date (late), both as sweeps would see them.
    await sweep(new Date(Date.parse(`${monthOf(chinaDay(now))}-01T04:00:00Z`)));
    await sweep(new Date(Date.parse(`${dueDate}T04:00:00Z`) + DAY_MS));
    await sweep(new Date(Date.parse(`${dueDate}T04:00:00Z`) + 2 * DAY_MS));
    for (const member of [owner, colleague]) {
      const items = about((await inbox(member.client)).items, project.id);
      expect(items.map((n) => n.kind)).to.deep.equal(['report_late', 'report_due']);
      expect(items[1]!.title).to.equal(`请报送${month.slice(0, 4)}年${Number(month.slice(5))}月月报：${project.name}`);
      expect(items[0]!.text).to.contain(`应于 ${dueDate} 前报送，至今未报`);
    }
    for (const other of [stranger, staff, otherStaff, leader]) expect(about((await inbox(other.client)).items, project.id), other.username).to.deep.equal([]);
  });

  it("tells a problem's unit, its member of staff and its leader when it falls due, once per due date, and not once it is solved", async () => {
    const project = await createProject(owner.client);
    expect((await staff.client.put(`/api/projects/${project.id}/responsibility`, { leaderId: leader.id, staffId: otherStaff.id })).status).to.equal(200);
    const dueDate = addWorkingDays(new Date(), 20);
    const raised = await staff.client.post(`/api/projects/${project.id}/problems`, { category: 'land', description: '用地指标未落实', level: 'county', dueDate });
    expect(raised.status, JSON.stringify(raised.body)).to.equal(201);
    const solved = await staff.client.post(`/api/projects/${project.id}/problems`, { category: 'funds', description: '配套资金未到位', level: 'county', dueDate });
    const resolve = await staff.client.post(`/api/problems/${solved.body.problem.id}/events`, { type: 'RESOLVE', resolution: '资金已拨付' });
    expect(resolve.status, JSON.stringify(resolve.body)).to.equal(200);
    let dayBefore = new Date(Date.parse(`${dueDate}T04:00:00Z`) - DAY_MS);
    while (!isWorkingDay(chinaDay(dayBefore))) dayBefore = new Date(dayBefore.getTime() - DAY_MS);

    await sweep(new Date(dayBefore.getTime() - 3 * DAY_MS));
    await sweep(dayBefore);
    await sweep(new Date(dayBefore.getTime() + 2 * DAY_MS));
    const dueNews = async (user: TestUser) => about((await inbox(user.client)).items, project.id).filter((n) => n.kind === 'problem_due');
    for (const told of [owner, colleague, otherStaff, leader]) {
      expect((await dueNews(told)).map((n) => n.text), told.username).to.deep.equal([`用地：用地指标未落实，应于 ${dueDate} 前解决。`]);
    }
    for (const other of [stranger, staff]) expect(await dueNews(other), other.username).to.deep.equal([]);
  });

  it('delivers what other modules notify of, to the users named, but an owner only about their own projects', async () => {
    const project = await createProject(owner.client);
    const subject = { projectId: project.id, projectName: project.name, problem: '用地指标未落实', dueDate: '2026-12-31' };
    await notify([leader.id, stranger.id, owner.id], 'problem_assigned', subject, { source: `problem:test-${project.id}:1` });
    await notify([leader.id], 'problem_assigned', subject, { source: `problem:test-${project.id}:1` });
    expect(about((await inbox(leader.client)).items, project.id).map((n) => n.title)).to.deep.equal([`问题交办：${project.name}`]);
    expect(about((await inbox(owner.client)).items, project.id).map((n) => n.kind)).to.deep.equal(['problem_assigned']);
    expect((await inbox(stranger.client)).items).to.deep.equal([]);
  });

  it("keeps none of the old unit's news for an owner moved to another unit, and puts the unread count right", async () => {
    const project = await createProject(owner.client);
    await review(staff.client, (await upload(owner.client, project.id, 'proposal')).id, 'reject', '页码缺失');
    const [notification] = await arrived(colleague.client, project.id, 1);
    const strangersOrg = (await stranger.client.get('/api/auth/me')).body.user.orgId;
    expect((await admin.patch(`/api/users/${colleague.id}`, { orgId: strangersOrg })).status).to.equal(200);
    const moved = new ApiClient(colleague.client.baseUrl);
    expect((await moved.login(colleague.username, colleague.password)).status).to.equal(200);
    const after = await inbox(moved);
    expect(after.items).to.deep.equal([]);
    expect(after.unread).to.equal(0);
    expectProblem(await moved.post(`/api/notifications/${notification!.id}/read`), 404);
  });

  it('keeps preferences: an e-mail address and which of their own kinds go by e-mail', async () => {
    const initial = await owner.client.get('/api/notifications/preferences');
    expect(initial.status).to.equal(200);
    expect(initial.body.kinds.map((k: { kind: string }) => k.kind)).to.deep.equal(['document_rejected', 'project_returned', 'project_rejected', 'report_due', 'report_late', 'problem_assigned', 'problem_due', 'reminder_letter']);
    expect(initial.body.kinds.every((k: { email: boolean }) => !k.email)).to.equal(true);

    expectProblem(await owner.client.put('/api/notifications/preferences', { emailKinds: ['document_review'] }), 422);
    expectProblem(await owner.client.put('/api/notifications/preferences', { email: 'not an address', emailKinds: [] }), 422);
    const saved = await owner.client.put('/api/notifications/preferences', { email: 'xmzx@example.gov.cn', emailKinds: ['report_late', 'project_returned'] });
    expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
    expect(saved.body.email).to.equal('xmzx@example.gov.cn');
    expect(saved.body.kinds.filter((k: { email: boolean }) => k.email).map((k: { kind: string }) => k.kind)).to.deep.equal(['project_returned', 'report_late']);

    const listed = await findUser(admin, owner.username);
    expect(listed.email).to.equal('xmzx@example.gov.cn');
    expect((await admin.patch(`/api/users/${owner.id}`, { email: null })).status).to.equal(200);
    expect((await owner.client.get('/api/notifications/preferences')).body.email).to.equal(undefined);
    expect((await admin.patch(`/api/users/${owner.id}`, { email: 'new@example.gov.cn' })).body.user.email).to.equal('new@example.gov.cn');
  });
});

async function findUser(admin: ApiClient, username: string) {
  for (let page = 1; ; page++) {
    const res = await admin.get(`/api/users?limit=200&page=${page}`);
    const found = res.body.items.find((u: { username: string }) => u.username === username);
    if (found || page * 200 >= res.body.total) return found;
  }
}
