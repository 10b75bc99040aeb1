import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { minimalPdf } from '../src/demo/sample-files';
import { checkInvariants } from '../src/integrity/invariants';
import { problemStore } from '../src/problems/problem.model';
import { loadProblemDirectory, raiseProblem } from '../src/problems/problems.service';
import type { CurrentUser } from '../src/shared/current-user';
import { problemSummary } from '../workflows/problems';
import type { ApiClient } from './support/client';
import { createOrganisation, createProject, createTeam, expectProblem, getProject, projectBody, signedInUser, type Team, type TestUser } from './support/fixtures';
import { service } from './support/hooks';
import { Types } from 'mongoose';

/**
 * 问题清单 through the API (issue 15, item 2): raising, recording, escalating,
 * closing and reopening problems, who may do each, the lists and their
 * filters, the ledger read back from its Excel file with the report sentence,
 * the monthly report naming problems, and the invariant check.
 */
const chinaDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
const today = chinaDay(new Date());
const inDays = (days: number) => chinaDay(new Date(Date.now() + days * 86_400_000));

const errorsOf = (body: any) => (body.errors ?? []).map((e: { path: string; message: string }) => [e.path, e.message]);

async function readLedger(client: ApiClient, query: string) {
  const res = await client.get(`/api/exports/problems.xlsx?${query}`);
  expect(res.status, String(res.body)).to.equal(200);
  expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).to.match(/问题解决台账.*\.xlsx/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.body as Parameters<typeof workbook.xlsx.load>[0]);
  const sheet = workbook.worksheets[0]!;
  const rows: Record<string, unknown>[] = [];
  const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const lines: string[] = [];
  sheet.eachRow((row, n) => {
    const values = (row.values as unknown[]).slice(1);
    if (n === 1) return;
    if (typeof values[0] === 'number') rows.push(Object.fromEntries(headers.map((h, i) => [h, values[i]])));
    else if (values.length === 1 && typeof values[0] === 'string') lines.push(values[0]);
  });
  return { title: sheet.name, headers, rows, lines };
}

describe('problems (问题清单)', function () {
  this.timeout(180_000);
  let team: Team;
  let staff: ApiClient;
  let owner: ApiClient;
  let leader: TestUser;
  let projectId: string;
  let otherProjectId: string;

  const raise = (client: ApiClient, id: string, body: Record<string, unknown>) => client.post(`/api/projects/${id}/problems`, body);
  const send = (client: ApiClient, problemId: string, body: Record<string, unknown>) => client.post(`/api/problems/${problemId}/events`, body);
  const land = { category: 'land', description: '项目用地指标尚未落实，影响开工', level: 'county', responsibleUnit: '示范区自然资源分局', dueDate: inDays(30) };

  before(async () => {
    team = await createTeam();
    ({ staff, owner } = team);
    leader = await signedInUser(team.admin, 'leader');
    projectId = (await createProject(owner, projectBody())).id;
    otherProjectId = (await createProject(team.otherOwner, projectBody())).id;
    expect((await staff.put(`/api/projects/${projectId}/responsibility`, { leaderId: leader.id })).status).to.equal(200);
  });

  it('lets whoever sees the project raise a problem on it, and nobody else', async () => {
    const res = await raise(owner, projectId, land);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const problem = res.body.problem;
    expect(problem).to.include({ projectId, category: 'land', level: 'county', state: 'open', overdue: false, version: 1, responsibleUnit: '示范区自然资源分局', dueDate: land.dueDate, leaderId: leader.id });
    expect(problem.events.map((e: { type: string }) => e.type)).to.deep.equal(['RAISE']);
    expect(problem.events[0].by).to.include({ id: owner.user!.id, role: 'owner' });
    expect(problem.availableEvents).to.deep.equal(['NOTE', 'ESCALATE', 'RESOLVE']);
    // 问题交办: the project's leader hears of it; whoever raised it and other units do not.
    const told = async (client: ApiClient) =>
      ((await client.get('/api/notifications?limit=100')).body.items as { kind: string; projectId: string; text: string }[]).filter((n) => n.projectId === projectId && n.kind === 'problem_assigned');
    const news = await told(leader.client);
    expect(news).to.have.length(1);
    expect(news[0]!.text).to.contain('用地：项目用地指标尚未落实');
    expect(await told(owner)).to.deep.equal([]);
    expect(await told(team.otherOwner)).to.deep.equal([]);

    expect((await raise(leader.client, projectId, { ...land, category: 'funds', description: '配套资金未到位' })).status).to.equal(201);
    expect((await raise(staff, projectId, { ...land, category: 'approvals', description: '施工许可未办理' })).status).to.equal(201);
    expectProblem(await raise(team.administrator, projectId, land), 403);
    expectProblem(await raise(team.otherOwner, projectId, land), 404);
    expectProblem(await raise(owner, otherProjectId, land), 404);
    expectProblem(await owner.get(`/api/projects/${otherProjectId}/problems`), 404);
    expectProblem(await owner.get(`/api/problems/${(await raise(team.otherOwner, otherProjectId, land)).body.problem.id}`), 404);
  });

  it('refuses incomplete problems with the reason in Chinese, field by field', async () => {
    const empty = await raise(owner, projectId, { category: 'roads', description: ' ', level: 'district' });
    expectProblem(empty, 422);
    expect(errorsOf(empty.body).map(([path]: string[]) => path).sort()).to.deep.equal(['category', 'description', 'level']);
    expect(errorsOf(empty.body)).to.deep.include(['description', '请描述问题']);
    const late = await raise(owner, projectId, { ...land, dueDate: inDays(-3) });
    expectProblem(late, 422);
    expect(errorsOf(late.body)).to.deep.equal([['dueDate', '办结时限不能早于提出日期']]);
  });

  it('escalates only upward with a reason, closes only with a resolution, takes nothing but REOPEN once closed', async () => {
    const id = (await raise(owner, projectId, { ...land, description: '征地拆迁补偿未谈妥', category: 'demolition' })).body.problem.id;
    const refused = async (body: Record<string, unknown>, status: number, expected?: string[][]) => {
      const res = await send(staff, id, body);
      expectProblem(res, status);
      if (expected) expect(errorsOf(res.body)).to.deep.equal(expected);
      return res;
    };
    await refused({ type: 'NOTE' }, 422, [['note', '请填写办理情况']]);
    await refused({ type: 'ESCALATE' }, 422, [['reason', '请填写理由']]);
    await refused({ type: 'ESCALATE', reason: '区级无法协调', level: 'county' }, 422, [['level', '问题目前由区级协调，只能上提，不能改为区级协调']]);
    await refused({ type: 'RESOLVE', resolution: '  ' }, 422, [['resolution', '销号须填写解决情况']]);
    await refused({ type: 'REOPEN', reason: '未解决' }, 409);

    let problem = (await send(owner, id, { type: 'NOTE', note: '已与村委会对接三次' })).body.problem;
    expect(problem).to.include({ version: 2, state: 'open' });
    problem = (await send(staff, id, { type: 'ESCALATE', reason: '涉及跨区协调' })).body.problem;
    expect(problem).to.include({ level: 'city', version: 3 });
    problem = (await send(staff, id, { type: 'ESCALATE', reason: '需省自然资源厅支持', level: 'province' })).body.problem;
    expect(problem.level).to.equal('province');
    await refused({ type: 'ESCALATE', reason: '再上提' }, 422, [['level', '问题已由省级协调，不能再上提']]);

    const resolved = await send(staff, id, { type: 'RESOLVE', resolution: '省厅批复用地，补偿协议已签订', expectedVersion: problem.version });
    expect(resolved.status, JSON.stringify(resolved.body)).to.equal(200);
    problem = resolved.body.problem;
    expect(problem).to.include({ state: 'resolved', resolution: '省厅批复用地，补偿协议已签订', version: 5 });
    expect(problem.resolvedAt).to.be.a('string');
    expect(problem.availableEvents).to.deep.equal(['REOPEN']);
    const closed = await refused({ type: 'NOTE', note: '补充说明' }, 409);
    expect(closed.body.detail).to.equal('问题已销号，只能重新打开');
    await refused({ type: 'RESOLVE', resolution: '再次销号' }, 409);
    await refused({ type: 'REOPEN' }, 422, [['reason', '请填写理由']]);

    problem = (await send(owner, id, { type: 'REOPEN', reason: '补偿款未足额到位' })).body.problem;
    expect(problem).to.include({ state: 'open', level: 'province', version: 6 });
    expect(problem).not.to.have.property('resolution');
    expect(problem.events.map((e: { type: string }) => e.type)).to.deep.equal(['RAISE', 'NOTE', 'ESCALATE', 'ESCALATE', 'RESOLVE', 'REOPEN']);
    expect(problem.events[2]).to.include({ level: 'city', reason: '涉及跨区协调' });

    // Who may record: staff and the project's unit; leaders read; other units never learn it exists.
    expectProblem(await send(leader.client, id, { type: 'NOTE', note: '领导批示' }), 403);
    expectProblem(await send(team.otherOwner, id, { type: 'NOTE', note: '越权' }), 404);
    expectProblem(await send(staff, id, { type: 'NOTE', note: '过期版本', expectedVersion: 5 }), 409);
    expect((await leader.client.get(`/api/problems/${id}`)).body.problem.availableEvents).to.deep.equal([]);
  });

  it('takes concurrent events one at a time: all are kept, and of those naming the same version one wins', async () => {
    const id = (await raise(owner, projectId, { ...land, category: 'utilities', description: '施工用电未接入' })).body.problem.id;
    const racing = await Promise.all(Array.from({ length: 8 }, (_, i) => send(i % 2 ? staff : owner, id, { type: 'NOTE', note: `第${i}次协调`, expectedVersion: 1 })));
    expect(racing.map((r) => r.status).sort()).to.deep.equal([200, 409, 409, 409, 409, 409, 409, 409]);
    const all = await Promise.all(Array.from({ length: 8 }, (_, i) => send(staff, id, { type: 'NOTE', note: `并发记录${i}` })));
    expect(all.every((r) => r.status === 200)).to.equal(true);
    const problem = (await staff.get(`/api/problems/${id}`)).body.problem;
    expect(problem.version).to.equal(10);
    expect(problem.events).to.have.length(10);
    expect(new Set(problem.events.slice(2).map((e: { note: string }) => e.note)).size).to.equal(8);
  });

  it('lists and filters: by state, category, level, overdue, leader (me), project and unit; owners see only their own', async () => {
    const who: CurrentUser = { ...(owner.user as CurrentUser), displayName: '测试' };
    // Raised three weeks ago with a week to go: overdue now.
    const overdueOne = await raiseProblem(who, projectId, { category: 'planning', description: '规划方案未批复', level: 'county', dueDate: inDays(-14) }, new Date(Date.now() - 21 * 86_400_000));

    const ids = async (client: ApiClient, query: string) => (await client.get(`/api/problems?limit=200&${query}`)).body.items.map((p: { id: string }) => p.id);
    const mine = await ids(staff, `projectId=${projectId}`);
    expect(mine).to.have.length(6);
    expect(mine[0], 'newest raised first').to.not.equal(overdueOne._id.toString());
    expect(await ids(staff, `projectId=${projectId}&overdue=true`)).to.deep.equal([overdueOne._id.toString()]);
    expect(await ids(staff, `projectId=${projectId}&category=planning`)).to.deep.equal([overdueOne._id.toString()]);
    expect(await ids(staff, `projectId=${projectId}&level=province`)).to.have.length(1);
    expect(await ids(leader.client, 'leaderId=me')).to.have.members(mine);
    expect(await ids(staff, `leaderId=${leader.id}&state=resolved`)).to.deep.equal([]);
    expect(await ids(staff, `projectId=${projectId}&unit=自然资源`)).to.have.length(5);
    expect(await ids(owner, `projectId=${projectId}`)).to.have.members(mine);
    expect(await ids(team.otherOwner, `projectId=${projectId}`)).to.deep.equal([]);
    expect((await owner.get('/api/problems?limit=200')).body.items.every((p: { orgId: string }) => p.orgId === team.orgId)).to.equal(true);

    const list = (await staff.get(`/api/problems?projectId=${projectId}&limit=2`)).body;
    expect(list).to.include({ total: 6, page: 1, limit: 2 });
    expect(list.items).to.have.length(2);
    expect(list.summary).to.include({ projects: 1, problems: 6, resolved: 0, open: 6, overdue: 1 });
    const overdue = (await staff.get(`/api/problems/${overdueOne._id.toString()}`)).body.problem;
    expect(overdue).to.include({ overdue: true, raisedOn: chinaDay(overdueOne.raisedAt) });

    const onProject = (await owner.get(`/api/projects/${projectId}/problems`)).body;
    expect(onProject.items.map((p: { id: string }) => p.id)).to.deep.equal(mine);
    expectProblem(await staff.get('/api/problems?overdue=maybe'), 400);

    // What lists answer from memory is what the database holds: read again as at a start, they answer the same.
    const before = (await staff.get('/api/problems?limit=200')).body;
    await loadProblemDirectory();
    expect((await staff.get('/api/problems?limit=200')).body).to.deep.equal(before);
  });

  describe('the ledger and the report sentence from a fixture of known numbers', () => {
    let orgId: string;
    let unit: TestUser;

    before(async () => {
      orgId = await createOrganisation(team.admin);
      unit = await signedInUser(team.admin, 'owner', orgId);
      // Three projects, five problems, three of them closed: 共调度问题项目3个、问题5个，已解决3个.
      const plan: [string, string, string | undefined][][] = [
        [['land', '用地报批滞后', '已取得用地批复'], ['funds', '资本金未到位', undefined]],
        [['eia', '环评批复未取得', '环评已批复'], ['energy', '能评未通过', '已通过节能审查']],
        [['utilities', '供水管线未接入', undefined]],
      ];
      for (const problems of plan) {
        const id = (await createProject(unit.client, projectBody())).id;
        for (const [category, description, resolution] of problems) {
          const problem = (await raise(unit.client, id, { category, description, level: 'county', responsibleUnit: '示范区住建局', dueDate: inDays(10) })).body.problem;
          if (resolution) expect((await send(staff, problem.id, { type: 'RESOLVE', resolution })).status).to.equal(200);
        }
      }
    });

    it('says 共调度问题项目3个、问题5个，已解决3个 in the list and under the ledger, each problem a row read back from the file', async () => {
      const list = (await team.leader.get(`/api/problems?orgId=${orgId}`)).body;
      expect(list.summary).to.include({ projects: 3, problems: 5, resolved: 3, open: 2, text: '共调度问题项目3个、问题5个，已解决3个' });

      const ledger = await readLedger(team.leader, `orgId=${orgId}`);
      expect(ledger.title).to.equal('问题解决台账');
      expect(ledger.headers).to.include.members(['项目名称', '项目单位', '包联领导', '问题类别', '问题描述', '协调层级', '责任单位', '提出日期', '办结时限', '办理状态', '销号日期', '解决情况']);
      expect(ledger.rows).to.have.length(5);
      expect(ledger.rows.map((r) => r['问题类别'])).to.deep.equal(['用地', '资金', '环评', '能评', '水电气等要素']);
      expect(ledger.rows.map((r) => r['办理状态'])).to.deep.equal(['已销号', '未解决', '已销号', '已销号', '未解决']);
      expect(ledger.rows[0]).to.include({ '协调层级': '区级协调', '责任单位': '示范区住建局', '提出日期': today, '销号日期': today, '解决情况': '已取得用地批复' });
      expect(ledger.lines).to.deep.equal(['共调度问题项目3个、问题5个，已解决3个']);

      const open = await readLedger(staff, `orgId=${orgId}&state=open`);
      expect(open.lines).to.deep.equal(['共调度问题项目2个、问题2个，已解决0个']);
      expectProblem(await unit.client.get(`/api/exports/problems.xlsx?orgId=${orgId}`), 403);
    });

    it('says 共调度问题项目24个、问题30个，已解决19个 for 24 projects with 30 problems of which 19 closed', () => {
      const problems = Array.from({ length: 30 }, (_, i) => ({ projectId: `p${i % 24}`, state: i < 19 ? ('resolved' as const) : ('open' as const) }));
      expect(problemSummary(problems)).to.deep.equal({ projects: 24, problems: 30, resolved: 19, open: 11, text: '共调度问题项目24个、问题30个，已解决19个' });
    });
  });

  it('keeps attachments uploaded to the project, sniffed like dossier files, and refuses another project\'s', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(minimalPdf('用地红线图'))]), '用地红线图.pdf');
    const uploaded = await owner.request('POST', `/api/projects/${projectId}/problem-attachments`, { form });
    expect(uploaded.status, JSON.stringify(uploaded.body)).to.equal(201);
    const attachment = uploaded.body.attachment;
    expect(attachment).to.include({ fileName: '用地红线图.pdf', mime: 'application/pdf' });

    const problem = (await raise(owner, projectId, { ...land, attachments: [attachment.id] })).body.problem;
    expect(problem.attachments).to.deep.equal([attachment]);
    const content = await team.leader.get(attachment.url);
    expect(content.status).to.equal(200);
    expect(content.headers.get('content-type')).to.match(/^application\/pdf/);
    expectProblem(await team.otherOwner.get(attachment.url), 404);

    const foreign = await raise(team.otherOwner, otherProjectId, { ...land, attachments: [attachment.id] });
    expectProblem(foreign, 422);
    expect(errorsOf(foreign.body)).to.deep.equal([['attachments', '附件不属于本项目，请重新上传']]);
    const html = new FormData();
    html.append('file', new Blob([Buffer.from('<html><script>alert(1)</script></html>')]), '说明.pdf');
    expectProblem(await owner.request('POST', `/api/projects/${projectId}/problem-attachments`, { form: html }), 415);
    expectProblem(await team.administrator.request('POST', `/api/projects/${projectId}/problem-attachments`, { form }), 403);
  });

  it("lets a monthly report name the project's problems, and only its own", async () => {
    const year = Number(today.slice(0, 4));
    const month = `${year}-01`;
    const id = (await createProject(owner, projectBody())).id;
    expect((await staff.put(`/api/projects/${id}/plans/${year}`, { plannedInvestment: 10_000_000, plannedStart: `${year}-01-01` })).status).to.equal(200);
    const own = (await raise(owner, id, { ...land, description: '临时用地审批慢' })).body.problem.id;
    const foreign = (await raise(owner, projectId, land)).body.problem.id;
    const report = { month, completedInvestment: 100_000, progressPercent: 2, progressNote: '场地平整', problems: '临时用地审批慢' };

    const wrong = await owner.post(`/api/projects/${id}/monthly-reports`, { ...report, problemIds: [own, foreign] });
    expectProblem(wrong, 422);
    expect(errorsOf(wrong.body)).to.deep.equal([['problemIds', '所列问题不属于本项目，请从本项目的问题清单中选择']]);
    const sent = await owner.post(`/api/projects/${id}/monthly-reports`, { ...report, problemIds: [own] });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    expect(sent.body.report.problemIds).to.deep.equal([own]);
    expect((await staff.get(`/api/projects/${id}/monthly-reports`)).body.items[0].problemIds).to.deep.equal([own]);
  });

  it('the invariant check finds a problem whose stored status its events do not give', async () => {
    const id = (await raise(owner, projectId, { ...land, description: '供气管线迁改' })).body.problem.id;
    const stored = (await problemStore.find(new Types.ObjectId(id)))!;
    const problemsOf = async () => (await checkInvariants({ uploadsDir: service().settings.uploadsDir })).violations.filter((v) => v.rule === 'problem' && v.detail.includes(id));
    expect(await problemsOf()).to.deep.equal([]);
    await problemStore.replace({ ...stored, state: 'resolved', resolution: '篡改' }, stored.version);
    try {
      expect((await problemsOf()).map((v) => v.projectId)).to.deep.equal([projectId]);
    } finally {
      await problemStore.replace(stored, stored.version);
    }
    expect(await problemsOf()).to.deep.equal([]);
    expect((await getProject(staff, projectId)).affordances).to.include({ mayRaiseProblem: true, mayAssign: true });
  });
});
