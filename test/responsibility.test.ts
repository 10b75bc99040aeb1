import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { Types } from 'mongoose';
import { checkInvariants } from '../src/integrity/invariants';
import { projectStore } from '../src/projects/project-store';
import type { ApiClient } from './support/client';
import { createOrganisation, createProject, createTeam, expectProblem, getProject, historyOf, projectBody, signedInUser, upload, type Team, type TestUser } from './support/fixtures';
import { eventually } from './faults/support';
import { service } from './support/hooks';

/**
 * Who answers for a project (issue 15, item 1): assigned by staff one by one
 * and in bulk, every change in the history, lists, figures and ledgers
 * filtered by leader and staff, the coverage of key projects, and the
 * invariant check folding it again from the history.
 */
const chinaYear = (at: Date) => Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(at));
// A year no other test file plans in: the figures of a year count every unit that has plans in it.
const Y = chinaYear(new Date()) - 5;
const M = `${Y}-08`;

const errorPaths = (body: any) => (body.errors ?? []).map((e: { path: string }) => e.path);

async function ledgerRows(client: ApiClient, query: string): Promise<string[]> {
  const res = await client.get(`/api/exports/ledger.xlsx?${query}`);
  expect(res.status).to.equal(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.body as Parameters<typeof workbook.xlsx.load>[0]);
  const names: string[] = [];
  workbook.worksheets[0]!.eachRow((row, n) => {
    const name = row.getCell(2).value;
    if (n > 1 && typeof name === 'string') names.push(name);
  });
  return names;
}

describe('responsibility: who answers for each project', function () {
  this.timeout(180_000);
  let team: Team;
  let staff: ApiClient;
  let leader: TestUser;
  let otherLeader: TestUser;
  let handler: TestUser;
  let orgId: string;
  const ids: string[] = [];

  before(async () => {
    team = await createTeam();
    staff = team.staff;
    [leader, otherLeader, handler] = await Promise.all([signedInUser(team.admin, 'leader'), signedInUser(team.admin, 'leader'), signedInUser(team.admin, 'staff')]);
    orgId = team.orgId;
    for (let i = 0; i < 4; i++) ids.push((await createProject(team.owner, projectBody())).id);
  });

  it('staff set it on one project: a history entry with what changed, names shown, and nothing recorded when nothing changes', async () => {
    const [id] = ids as [string];
    const before = await getProject(staff, id);
    const body = { leaderId: leader.id, unit: '示范区住建局', contact: '王责任', phone: '0571-88881234', assistingUnits: ['示范区自然资源分局', '示范区生态环境分局'], staffId: handler.id };
    const res = await staff.put(`/api/projects/${id}/responsibility`, { ...body, expectedVersion: before.version });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.project.version).to.equal(before.version + 1);
    expect(res.body.project.responsibility).to.deep.equal({ ...body, leaderName: '测试leader', staffName: '测试staff' });

    const entries = (await historyOf(team.owner, id)).filter((e) => e.event === 'RESPONSIBILITY');
    expect(entries).to.have.length(1);
    expect(entries[0].data.changes.map((c: { field: string }) => c.field)).to.deep.equal(['leaderId', 'unit', 'contact', 'phone', 'assistingUnits', 'staffId']);
    expect(entries[0]).to.include({ actorId: staff.user!.id, role: 'staff' });

    const again = await staff.put(`/api/projects/${id}/responsibility`, { unit: '示范区住建局' });
    expect(again.body.project.version, 'the same values change nothing').to.equal(before.version + 1);

    // A field left out stays, null clears one.
    const cleared = await staff.put(`/api/projects/${id}/responsibility`, { assistingUnits: null, phone: '13912345678' });
    expect(cleared.body.project.responsibility).to.deep.include({ leaderId: leader.id, phone: '13912345678' });
    expect(cleared.body.project.responsibility).not.to.have.property('assistingUnits');
    const last = (await historyOf(staff, id)).at(-1);
    expect(last.data.changes).to.deep.equal([
      { field: 'phone', from: '0571-88881234', to: '13912345678' },
      { field: 'assistingUnits', from: ['示范区自然资源分局', '示范区生态环境分局'] },
    ]);

    const row = (await staff.get(`/api/projects?orgId=${orgId}&limit=200`)).body.items.find((p: { id: string }) => p.id === id);
    expect(row.responsibility).to.include({ leaderName: '测试leader', unit: '示范区住建局' });
  });

  it('refuses, in Chinese, a leader who is not a leader, staff who are not staff, a disabled leader, a bad phone, a stale version, and everyone but staff', async () => {
    const id = ids[1]!;
    const notLeader = await staff.put(`/api/projects/${id}/responsibility`, { leaderId: handler.id });
    expectProblem(notLeader, 422);
    expect(notLeader.body.errors).to.deep.equal([{ path: 'leaderId', message: '包联领导须为在用的领导账号' }]);
    const notStaff = await staff.put(`/api/projects/${id}/responsibility`, { staffId: leader.id, leaderId: '0123456789abcdef01234567' });
    expectProblem(notStaff, 422);
    expect(errorPaths(notStaff.body)).to.deep.equal(['leaderId', 'staffId']);
    expect(notStaff.body.errors[1].message).to.equal('发改局经办人须为在用的发改局工作人员账号');

    const retired = await signedInUser(team.admin, 'leader');
    expect((await team.admin.patch(`/api/users/${retired.id}`, { disabled: true })).status).to.equal(200);
    expectProblem(await staff.put(`/api/projects/${id}/responsibility`, { leaderId: retired.id }), 422);

    const phone = await staff.put(`/api/projects/${id}/responsibility`, { phone: '12345' });
    expectProblem(phone, 422);
    expect(errorPaths(phone.body)).to.deep.equal(['phone']);
    expect(phone.body.errors[0].message).to.match(/手机号或座机号/);

    expectProblem(await staff.put(`/api/projects/${id}/responsibility`, { unit: '某单位', expectedVersion: 99 }), 409);
    for (const client of [team.owner, team.otherOwner, team.leader, team.administrator]) expectProblem(await client.put(`/api/projects/${id}/responsibility`, { unit: '某单位' }), 403);
    expect((await getProject(staff, id)).responsibility).to.equal(undefined);
  });

  it('assigns in bulk, one history entry per project; one bad id changes none', async () => {
    const bulk = ids.slice(1, 4);
    const bad = await staff.post('/api/projects/responsibility', { projectIds: [...bulk, 'ffffffffffffffffffffffff'], leaderId: otherLeader.id });
    expectProblem(bad, 422);
    expect(errorPaths(bad.body)).to.deep.equal(['projectIds.3']);
    for (const id of bulk) expect((await getProject(staff, id)).responsibility).to.equal(undefined);

    const res = await staff.post('/api/projects/responsibility', { projectIds: bulk, leaderId: otherLeader.id, staffId: handler.id });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.failed).to.deep.equal([]);
    expect(res.body.items.map((i: { id: string }) => i.id)).to.deep.equal(bulk);
    for (const id of bulk) {
      expect((await historyOf(staff, id)).filter((e) => e.event === 'RESPONSIBILITY')).to.have.length(1);
      expect((await getProject(team.owner, id)).responsibility).to.include({ leaderId: otherLeader.id, leaderName: '测试leader', staffId: handler.id });
    }
    expectProblem(await team.owner.post('/api/projects/responsibility', { projectIds: bulk, unit: 'x' }), 403);
  });

  it('filters lists by leader (me included), by staff and by whether a leader is named', async () => {
    const listed = async (client: ApiClient, query: string) => (await client.get(`/api/projects?limit=200&${query}`)).body.items.map((p: { id: string }) => p.id).sort();
    expect(await listed(staff, `leaderId=${otherLeader.id}`)).to.deep.equal(ids.slice(1, 4).sort());
    expect(await listed(otherLeader.client, 'leaderId=me'), '我包联的项目').to.deep.equal(ids.slice(1, 4).sort());
    expect(await listed(leader.client, 'leaderId=me')).to.deep.equal([ids[0]]);
    expect(await listed(staff, `staffId=${handler.id}`)).to.deep.equal([...ids].sort());
    expect(await listed(handler.client, `staffId=me&leaderId=${leader.id}`)).to.deep.equal([ids[0]]);
    expect(await listed(staff, `orgId=${orgId}&hasLeader=false`)).to.deep.equal([]);
    expect(await listed(staff, `orgId=${orgId}&hasLeader=true`)).to.have.length(4);
    // An owner asking for a leader's projects still sees only its own organisation's.
    expect(await listed(team.otherOwner, `leaderId=${otherLeader.id}`)).to.deep.equal([]);
    expectProblem(await staff.get('/api/projects?leaderId=someone'), 400);
  });

  it('counts the key projects with and without a leader, and filters the figures and ledgers by leader', async () => {
    const coverageOrg = await createOrganisation(team.admin);
    const owner = await signedInUser(team.admin, 'owner', coverageOrg);
    const make = async () => (await createProject(owner.client, projectBody())).id;
    const [a, b, c, d] = [await make(), await make(), await make(), await make()];
    const plan = (id: string, keyLevel?: string) => staff.put(`/api/projects/${id}/plans/${Y}`, { keyLevel, plannedInvestment: 12_000_000, plannedStart: `${Y}-03-01` });
    for (const [id, level] of [[a, 'province'], [b, 'county'], [c, 'county'], [d, undefined]] as const) expect((await plan(id, level)).status).to.equal(200);
    await staff.post('/api/projects/responsibility', { projectIds: [a, b, d], leaderId: leader.id });

    const stats = (await team.leader.get(`/api/stats/schedule?month=${M}&orgId=${coverageOrg}`)).body;
    expect(stats.coverage).to.include({ keyProjects: 3, withLeader: 2, withoutLeader: 1 });
    expect(stats.coverage.share).to.be.closeTo(2 / 3, 1e-9);
    expect(stats.coverage.levels.find((l: { keyLevel: string }) => l.keyLevel === 'county')).to.include({ keyProjects: 2, withLeader: 1, withoutLeader: 1 });
    expect(stats.coverage.withoutLeaderList.items.map((p: { id: string }) => p.id)).to.deep.equal([c]);
    const drill = (await staff.get(`/api/stats/schedule/projects?month=${M}&orgId=${coverageOrg}&figure=keyWithoutLeader`)).body;
    expect(drill.items.map((p: { id: string }) => p.id)).to.deep.equal([c]);

    const mine = (await leader.client.get(`/api/stats/schedule?month=${M}&orgId=${coverageOrg}&leaderId=me`)).body;
    expect(mine.projects).to.equal(3);
    expect(mine.coverage).to.include({ keyProjects: 2, withoutLeader: 0 });

    const names = new Map<string, string>();
    for (const id of [a, b, c, d]) names.set((await getProject(staff, id)).name, id);
    const rows = await ledgerRows(staff, `kind=procedures&orgId=${coverageOrg}&leaderId=${leader.id}`);
    expect(rows.map((name) => names.get(name)).sort()).to.deep.equal([a, b, d].sort());
  });

  it('tells a leader newly named of the project (包联项目), and sends its files for review to its member of staff only', async () => {
    const kindsAbout = async (client: ApiClient, id: string) =>
      ((await client.get('/api/notifications?limit=100')).body.items as { kind: string; projectId: string }[]).filter((n) => n.projectId === id).map((n) => n.kind);
    const id = ids[0]!;
    await eventually('the leader told', async () => (await kindsAbout(leader.client, id)).includes('leader_assigned'), 10_000);
    expect(await kindsAbout(otherLeader.client, id)).to.deep.equal([]);

    await upload(team.owner, id, 'proposal');
    await eventually('the member of staff told', async () => (await kindsAbout(handler.client, id)).includes('document_review'), 10_000);
    expect(await kindsAbout(staff, id), 'other staff are not told').to.deep.equal([]);
  });

  it('the invariant check folds it from the history: a tampered copy is found, and the repair rebuilds it', async () => {
    const id = ids[0]!;
    const _id = new Types.ObjectId(id);
    const stored = (await projectStore.find(_id))!;
    const { responsibility } = stored;
    await projectStore.replace({ ...stored, responsibility: { ...responsibility, leaderId: otherLeader.id } }, stored.version);
    const found = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
    expect(found.violations.filter((v) => v.projectId === id).map((v) => v.rule)).to.deep.equal(['responsibility']);
    const repaired = await checkInvariants({ uploadsDir: service().settings.uploadsDir, repair: true });
    expect(repaired.repaired.rebuiltResponsibilities).to.be.at.least(1);
    expect((await projectStore.find(_id))!.responsibility).to.deep.equal(responsibility);
    const after = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
    expect(after.violations.filter((v) => v.projectId === id)).to.deep.equal([]);
  });
});
