import { expect } from 'chai';
import { Types } from 'mongoose';
import { projectViolations } from '../src/integrity/project-rules';
import { projectStore } from '../src/projects/project-store';
import { projectHistory } from '../src/projects/project.repository';
import { checkTotal, loadWorkbook, readSheet } from './support/exports';
import { advance, bringTo, createProject, createTeam, expectProblem, historyOf, projectBody, specialBondBody, unique, type Team } from './support/fixtures';

/**
 * Application rounds (申报批次) and plan drafts (计划草案), docs/domain.md
 * "Application rounds": every figure checked here is worked out by the test
 * from what it did.
 */
const T = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
const WAN = 10_000;

const draftHeaders = ['序号', '项目代码', '项目名称', '项目单位', '建设地点', '领域', '建设内容', '总投资（万元）', '累计到位资金（万元）', '本次申请金额（万元）', '一件三证', '联系人及电话'];

async function openRound(team: Team, overrides: Record<string, unknown> = {}) {
  const res = await team.staff.post('/api/rounds', { channel: 'central_budget', year: T, name: unique(`${T}年第二批中央预算内投资`), deadline: `${T}-12-31`, notes: '按国家发展改革委通知要求申报', ...overrides });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.round;
}

describe('application rounds and plan drafts', function () {
  let team: Team;
  before(async function () {
    team = await createTeam();
  });

  it('takes a round from opening to its Excel draft: projects with amounts, readiness, totals by field and unit, and the forwarding recorded in the round', async function () {
    const round = await openRound(team, { ceiling: 100_000_000 });
    expect(round).to.include({ status: 'open', version: 1, projectCount: 0, total: 0, ceiling: 100_000_000, over: false });
    expectProblem(await team.owner.post('/api/rounds', { channel: 'central_budget', year: T, name: '单位不能开批次', deadline: `${T}-12-31` }), 403);
    expectProblem(await team.owner.get(`/api/rounds/${round.id}`), 403);
    expect((await team.leader.get('/api/rounds')).body.items.map((r: { id: string }) => r.id)).to.include(round.id);

    const a = await bringTo(team, await createProject(team.owner, projectBody({ description: '新建污水管网12公里', location: '城东街道' })), 'reserve');
    const b = await bringTo(team, await createProject(team.owner, projectBody({ field: 'transport' })), 'reserve');
    const bond = await bringTo(team, await createProject(team.owner, specialBondBody()), 'reserve');
    const candidates = (await team.staff.get(`/api/rounds/${round.id}/candidates`)).body.items.map((c: { id: string }) => c.id);
    expect(candidates).to.include.members([a.id, b.id]);
    expect(candidates, 'only the round channel').not.to.include(bond.id);

    const put = async (project: { id: string }, amount: number) => team.staff.put(`/api/rounds/${round.id}/projects/${project.id}`, { amount });
    const putA = await put(a, 30_000_000);
    expect(putA.status, JSON.stringify(putA.body)).to.equal(200);
    expect(putA.body.round).to.include({ projectCount: 1, total: 30_000_000, left: 70_000_000 });
    expect((await put(b, 40_000_000)).status).to.equal(200);
    expectProblem(await put(bond, 10_000_000), 422);
    const tooMuch = await put(b, 50_000_000);
    expectProblem(tooMuch, 422);
    expect(tooMuch.body.detail).to.match(/超过.*项目的申请资金|不能超过项目的申请资金/);

    // Readiness: nothing of the preliminary dossier is in yet.
    const page = (await team.staff.get(`/api/rounds/${round.id}`)).body;
    expect(page.items.map((i: { id: string; amount: number }) => [i.id, i.amount])).to.have.deep.members([
      [a.id, 30_000_000],
      [b.id, 40_000_000],
    ]);
    expect(page.round.total).to.equal(70_000_000);
    expect(page.byField).to.have.deep.members([
      { field: 'municipal', count: 1, amount: 30_000_000, totalInvestment: 100_000_000 },
      { field: 'transport', count: 1, amount: 40_000_000, totalInvestment: 100_000_000 },
    ]);
    expect(page.byUnit).to.have.length(1);
    expect(page.byUnit[0]).to.include({ orgId: team.orgId, count: 2, amount: 70_000_000 });
    expect(page.notReady.map((n: { id: string }) => n.id)).to.have.members([a.id, b.id]);
    expect(page.notReady[0].gaps.join('；')).to.match(/申报材料未齐/);
    expect(page.items[0].readiness).to.include({ dossierComplete: false, ready: false });

    // The ceiling cannot drop below what the draft holds.
    const lower = await team.staff.patch(`/api/rounds/${round.id}`, { ceiling: 60_000_000, expectedVersion: 1 });
    expectProblem(lower, 422);
    expect(lower.body.detail).to.match(/低于计划草案已列的合计/);

    // A goes up: the application records the round and the amount asked this time.
    const forwarded = await bringTo(team, (await team.staff.get(`/api/projects/${a.id}`)).body.project, 'submitted');
    expect(forwarded.applications.at(-1)).to.include({ roundId: round.id, requestedAmount: 30_000_000, year: T });
    const entries = (await historyOf(team.staff, a.id)).filter((e) => e.event === 'ROUND');
    expect(entries).to.have.length(1);
    expect(entries[0].data).to.include({ roundId: round.id, amount: 30_000_000 });
    expectProblem(await team.staff.delete(`/api/rounds/${round.id}/projects/${a.id}`), 422);
    const afterForwarding = (await team.staff.get(`/api/rounds/${round.id}`)).body;
    expect(afterForwarding.notReady.map((n: { id: string }) => n.id), 'what went up is no longer flagged').to.deep.equal([b.id]);

    // The export: the columns the higher level asks for, the amounts in 万元, totals at the foot.
    const res = await team.leader.get(`/api/rounds/${round.id}/draft.xlsx`);
    expect(res.status).to.equal(200);
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).to.include('计划草案.xlsx');
    const book = readSheet((await loadWorkbook(res.body)).worksheets[0]!);
    expect(book.headers).to.deep.equal(draftHeaders);
    book.rows = book.rows.filter((r) => typeof r['序号'] === 'number');
    expect(book.rows.map((r) => r['项目名称'])).to.have.members([a.name, b.name]);
    const rowA = book.rows.find((r) => r['项目名称'] === a.name)!;
    expect(rowA).to.include({ 建设内容: '新建污水管网12公里', 建设地点: '城东街道', 领域: '市政', '本次申请金额（万元）': 3000, '总投资（万元）': 10_000, 一件三证: '未具备' });
    expect(checkTotal(book, '本次申请金额（万元）', 'sum')).to.equal(70_000_000 / WAN);
    expect(checkTotal(book, '项目名称', 'count')).to.equal(2);
    const notes: string[] = [];
    book.sheet.eachRow((row) => {
      const first = (row.values as unknown[])[1];
      if (typeof first === 'string' && first.startsWith('本次申请合计')) notes.push(first);
    });
    expect(notes[0]).to.equal('本次申请合计 7,000万元，控制额度 1.00亿元');

    // Closed: the draft no longer changes.
    expect((await team.staff.post(`/api/rounds/${round.id}/close`)).body.round.status).to.equal('closed');
    const closed = await put(b, 1_000_000);
    expectProblem(closed, 422);
    expect(closed.body.detail).to.match(/已关闭/);
  });

  it('refuses a deadline outside the years the working-day calendar counts, saying which years', async function () {
    for (const deadline of ['1969-12-31', '0000-01-01', '2100-01-01']) {
      const res = await team.staff.post('/api/rounds', { channel: 'central_budget', year: T, name: unique('截止日期有误的批次'), deadline });
      expectProblem(res, 422);
      expect(res.body.errors, deadline).to.deep.include({ path: 'deadline', message: '申报截止日期应为 2000 年至 2099 年间的日期，格式如 2026-01-31' });
    }
  });

  it('refuses a draft over its ceiling with the reason, and records nothing', async function () {
    const round = await openRound(team, { ceiling: 50_000_000 });
    const a = await bringTo(team, await createProject(team.owner, projectBody()), 'reserve');
    const b = await bringTo(team, await createProject(team.owner, projectBody()), 'preliminary');
    expect((await team.staff.put(`/api/rounds/${round.id}/projects/${a.id}`, { amount: 30_000_000 })).status).to.equal(200);
    const over = await team.staff.put(`/api/rounds/${round.id}/projects/${b.id}`, { amount: 25_000_000 });
    expectProblem(over, 422);
    expect(over.body.detail).to.equal('计划草案合计 5,500万元，超过上级下达的控制额度 5,000万元，未保存');
    expect(over.body.errors[0]).to.include({ path: 'amount' });
    expect((await historyOf(team.staff, b.id)).map((e) => e.event)).not.to.include('ROUND');
    const page = (await team.staff.get(`/api/rounds/${round.id}`)).body;
    expect(page.round).to.include({ total: 30_000_000, projectCount: 1 });
    // Within the ceiling it is taken; taking a project out frees its share.
    expect((await team.staff.put(`/api/rounds/${round.id}/projects/${b.id}`, { amount: 20_000_000 })).status).to.equal(200);
    expect((await team.staff.delete(`/api/rounds/${round.id}/projects/${a.id}`)).body.round).to.include({ total: 20_000_000, projectCount: 1 });
  });

  it("keeps a project's round as its history gives it, which the invariant check folds again", async function () {
    const [first, second] = [await openRound(team), await openRound(team)];
    const project = await bringTo(team, await createProject(team.owner, projectBody()), 'reserve');
    expect((await team.staff.put(`/api/rounds/${first.id}/projects/${project.id}`, { amount: 10_000_000 })).status).to.equal(200);
    expect((await team.staff.put(`/api/rounds/${second.id}/projects/${project.id}`, { amount: 20_000_000 })).status).to.equal(200);
    expect((await team.staff.get(`/api/rounds/${first.id}`)).body.round.projectCount, 'moved to the second round').to.equal(0);
    const stored = (await projectStore.find(new Types.ObjectId(project.id)))!;
    expect(stored.round).to.deep.equal({ roundId: second.id, amount: 20_000_000 });
    const whole = { ...stored, history: await projectHistory(stored) };
    expect(projectViolations(whole)).to.deep.equal([]);
    expect(projectViolations({ ...whole, round: { roundId: second.id, amount: 1 } }).map((v) => v.rule)).to.deep.equal(['round']);
    expect((await team.staff.delete(`/api/rounds/${second.id}/projects/${project.id}`)).status).to.equal(200);
    const left = (await projectStore.find(new Types.ObjectId(project.id)))!;
    expect(left.round).to.equal(undefined);
    expect(projectViolations({ ...left, history: await projectHistory(left) })).to.deep.equal([]);
  });

  it('takes back into the draft a project the higher level turned down, which may then join a later round', async function () {
    const [first, later] = [await openRound(team), await openRound(team)];
    let project = await bringTo(team, await createProject(team.owner, projectBody()), 'reserve');
    expect((await team.staff.put(`/api/rounds/${first.id}/projects/${project.id}`, { amount: 10_000_000 })).status).to.equal(200);
    project = await bringTo(team, (await team.staff.get(`/api/projects/${project.id}`)).body.project, 'submitted');
    const line = async (roundId: string) => (await team.staff.get(`/api/rounds/${roundId}`)).body.items.find((i: { id: string }) => i.id === project.id);
    expect(await line(first.id)).to.include({ forwarded: true, amount: 10_000_000 });
    project = await advance(team.staff, project, 'RECORD_REJECTION', { reason: '本批次未获安排' });
    expect(project.stage).to.equal('reserve');
    expect(await line(first.id), 'back in the reserve, its amount may change again').to.include({ forwarded: false });
    expect((await team.staff.put(`/api/rounds/${later.id}/projects/${project.id}`, { amount: 8_000_000 })).status).to.equal(200);
    // The first round still lists it as forwarded in it, with what it asked then.
    expect(await line(first.id)).to.include({ forwarded: true, amount: 10_000_000 });
    expect(await line(later.id)).to.include({ forwarded: false, amount: 8_000_000 });
  });

  it('lists the projects under review that no round holds, until staff put them in one', async function () {
    const round = await openRound(team);
    const project = await bringTo(team, await createProject(team.owner, projectBody()), 'application_review');
    const outside = async () => (await team.staff.get('/api/rounds?channel=central_budget')).body.outside.map((p: { id: string }) => p.id);
    expect(await outside()).to.include(project.id);
    expect((await team.staff.put(`/api/rounds/${round.id}/projects/${project.id}`, { amount: 10_000_000 })).status).to.equal(200);
    expect(await outside()).not.to.include(project.id);
  });

  it('never lets projects put in at the same time take the draft over its ceiling', async function () {
    const round = await openRound(team, { ceiling: 100_000_000 });
    const projects = await Promise.all(Array.from({ length: 6 }, async () => bringTo(team, await createProject(team.owner, projectBody()), 'reserve')));
    // Six at 30 million each against 100 million: three fit, three are refused, whatever the order.
    const answers = await Promise.all(projects.map((p) => team.staff.put(`/api/rounds/${round.id}/projects/${p.id}`, { amount: 30_000_000 })));
    expect(answers.map((a) => a.status).sort()).to.deep.equal([200, 200, 200, 422, 422, 422]);
    const page = (await team.staff.get(`/api/rounds/${round.id}`)).body;
    expect(page.round).to.include({ total: 90_000_000, projectCount: 3, over: false });
  });

  it('splits the funds figures by round, the parts adding up to the year', async function () {
    const round = await openRound(team);
    const inRound = await bringTo(team, await createProject(team.owner, projectBody()), 'reserve');
    expect((await team.staff.put(`/api/rounds/${round.id}/projects/${inRound.id}`, { amount: 12_000_000 })).status).to.equal(200);
    const fetched = (await team.staff.get(`/api/projects/${inRound.id}`)).body.project;
    const submitted = await bringTo(team, fetched, 'submitted');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await advance(team.staff, submitted, 'RECORD_APPROVAL', { data: { amount: 40_000_000, year: T, docNo: `发改投资〔${T}〕88号`, date: today } });
    await bringTo(team, await createProject(team.owner, projectBody({ requestedAmount: 5_000_000 })), 'submitted');

    const only = (await team.leader.get(`/api/stats/funds?from=${T}&to=${T}&roundId=${round.id}`)).body.items.find((i: { channel: string }) => i.channel === 'central_budget');
    expect(only).to.include({ appliedCount: 1, appliedAmount: 12_000_000, securedCount: 1, securedAmount: 40_000_000 });
    const drill = (await team.leader.get(`/api/stats/funds/${T}/central_budget/projects?roundId=${round.id}`)).body;
    expect(drill.items.map((i: { id: string }) => i.id)).to.deep.equal([inRound.id]);

    const year = (await team.leader.get(`/api/stats/funds?from=${T}&to=${T}`)).body.items;
    const split = (await team.leader.get(`/api/stats/funds/by-round?year=${T}`)).body.items;
    expect(split.find((s: { roundId: string; channel: string }) => s.roundId === round.id && s.channel === 'central_budget')).to.include({ appliedAmount: 12_000_000, roundName: round.name });
    expect(split.some((s: { roundId: string }) => s.roundId === 'none')).to.equal(true);
    for (const total of year) {
      const parts = split.filter((s: { channel: string }) => s.channel === total.channel);
      for (const key of ['appliedCount', 'appliedAmount', 'securedCount', 'securedAmount'] as const) {
        expect(parts.reduce((sum: number, p: Record<string, number>) => sum + p[key]!, 0), `${total.channel} ${key}`).to.equal(total[key]);
      }
    }
  });

  it('shows the reserve as a three-year rolling plan by planned year of application', async function () {
    const next = await bringTo(team, await createProject(team.owner, projectBody({ applicationYear: T + 1, requestedAmount: 7_000_000 })), 'reserve');
    const unplanned = await bringTo(team, await createProject(team.owner, projectBody()), 'reserve');
    const plan = (await team.leader.get(`/api/rounds/rolling-plan?from=${T}&channel=central_budget`)).body;
    expect(plan.years.map((y: { year: number }) => y.year)).to.deep.equal([T, T + 1, T + 2]);
    const second = plan.years[1];
    expect(second.items.map((i: { id: string }) => i.id)).to.include(next.id);
    expect(second.requestedAmount).to.equal(second.items.reduce((s: number, i: { requestedAmount: number }) => s + i.requestedAmount, 0));
    expect(plan.unplanned.items.map((i: { id: string }) => i.id)).to.include(unplanned.id);
  });
});
