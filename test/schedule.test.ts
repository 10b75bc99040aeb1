import { expect } from 'chai';
import type { CurrentUser } from '../src/shared/current-user';
import { checkInvariants } from '../src/integrity/invariants';
import { sendMonthlyReport } from '../src/schedule/schedule.service';
import type { ApiClient } from './support/client';
import { bringTo, createProject, createTeam, expectProblem, getProject, historyOf, projectBody, type Team } from './support/fixtures';
import { service } from './support/hooks';

/**
 * Monthly scheduling through the API: plans, monthly reports (late, corrected,
 * missing), and every figure of the month checked against what this file
 * computes from its own fixture. The fixture's year lies two years back, so
 * every report is long due and no other test file plans in it.
 */
const chinaYear = (at: Date) => Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(at));
const Y = chinaYear(new Date()) - 2;
const M = `${Y}-08`;
const mm = (n: number) => `${Y}-${String(n).padStart(2, '0')}`;
/** A report sent on the 2nd is in time whatever the holidays (the due day is the 5th or later); one sent on the 20th never is. */
const onTime = (month: string) => `${nextMonth(month)}-02`;
const late = (month: string) => `${nextMonth(month)}-20`;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function nextMonth(month: string) {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

interface Plan {
  keyLevel?: 'province' | 'city' | 'county';
  plannedInvestment: number;
  plannedStart?: string;
}
interface Sent {
  month: string;
  amount: number;
  on: string;
  startedOn?: string;
  reason?: string;
}
interface Fixture {
  key: string;
  id: string;
  org: 'A' | 'B';
  plan?: Plan;
  reports: Sent[];
}

/** The test's own arithmetic, from what it sent: the newest revision of each month counts. */
const model = {
  completed(p: Fixture, upTo: string) {
    const newest = new Map<string, number>();
    for (const r of p.reports) if (r.month.startsWith(`${Y}-`) && r.month <= upTo) newest.set(r.month, r.amount);
    return sum([...newest.values()]);
  },
  startedOn: (p: Fixture) => p.reports.find((r) => r.startedOn)?.startedOn,
  dueToStart: (p: Fixture) => p.plan?.plannedStart?.startsWith(`${Y}-`) === true && p.plan.plannedStart.slice(0, 7) <= M,
  started: (p: Fixture) => model.dueToStart(p) && (model.startedOn(p) ?? '9999').slice(0, 7) <= M,
  plannedToDate: (p: Fixture, month = M) => Math.round((p.plan?.plannedInvestment ?? 0) * (Number(month.slice(5)) / 12)),
  totals(ps: Fixture[]) {
    const planned = ps.filter((p) => p.plan);
    const plannedToStart = planned.filter(model.dueToStart).length;
    const started = planned.filter(model.started).length;
    const plannedInvestment = sum(planned.map((p) => p.plan!.plannedInvestment));
    const completedInvestment = sum(planned.map((p) => model.completed(p, M)));
    return {
      projects: planned.length,
      plannedToStart,
      started,
      plannedInvestment,
      completedInvestment,
      completionRate: completedInvestment / plannedInvestment,
      behindPlan: planned.filter((p) => model.completed(p, M) < model.plannedToDate(p)).length,
    };
  },
  halfYearPassed: (ps: Fixture[]) => sum(ps.map((p) => model.completed(p, mm(6)))) * 2 >= sum(ps.map((p) => p.plan?.plannedInvestment ?? 0)),
};

describe('monthly scheduling: plans, reports and the figures made of them', function () {
  this.timeout(240_000);
  let team: Team;
  let staff: ApiClient;
  let orgA: string;
  let orgB: string;
  const projects = new Map<string, Fixture>();
  const all = () => [...projects.values()];
  const of = (org: 'A' | 'B') => all().filter((p) => p.org === org);
  const who = (client: ApiClient): CurrentUser => ({ ...(client.user as CurrentUser), displayName: '测试' });

  async function plan(p: Fixture, year: number, body: Plan) {
    const res = await staff.put(`/api/projects/${p.id}/plans/${year}`, body);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    if (year === Y) p.plan = body;
  }

  /** A report as the unit sent it on a past day (the API stamps today, so the service is called with the day). */
  async function report(p: Fixture, client: ApiClient, sent: Sent) {
    await sendMonthlyReport(who(client), p.id, {
      month: sent.month,
      completedInvestment: sent.amount,
      progressPercent: 50,
      progressNote: `${sent.month} 主体施工`,
      startedOn: sent.startedOn,
      inStatistics: true,
      reason: sent.reason,
    }, new Date(`${sent.on}T10:00:00+08:00`));
    p.reports.push(sent);
  }

  async function create(key: string, org: 'A' | 'B', body = projectBody()) {
    const project = await createProject(org === 'A' ? team.owner : team.otherOwner, body);
    const p: Fixture = { key, id: project.id, org, reports: [] };
    projects.set(key, p);
    return p;
  }

  before(async function () {
    team = await createTeam();
    staff = team.staff;
    orgA = team.orgId;
    const owner = team.owner;
    const ownerB = team.otherOwner;

    // P1: provincial key project, new this year; a late July report and a corrected August one.
    const p1 = await create('P1', 'A');
    await plan(p1, Y, { keyLevel: 'province', plannedInvestment: 12_000_000, plannedStart: `${Y}-03-01` });
    await report(p1, owner, { month: mm(3), amount: 2_000_000, on: onTime(mm(3)), startedOn: `${Y}-03-10` });
    for (const [month, amount] of [[4, 1_000_000], [5, 1_500_000], [6, 2_000_000]] as const) await report(p1, owner, { month: mm(month), amount, on: onTime(mm(month)) });
    await report(p1, owner, { month: mm(7), amount: 1_000_000, on: late(mm(7)) });
    await report(p1, owner, { month: mm(8), amount: 1_000_000, on: onTime(mm(8)) });
    await report(p1, staff, { month: mm(8), amount: 1_500_000, on: `${Y}-09-10`, reason: '漏报设备购置款，更正本月完成投资' });

    // P2: city key project continuing from last year, far behind its plan.
    const p2 = await create('P2', 'A');
    await plan(p2, Y - 1, { keyLevel: 'city', plannedInvestment: 10_000_000, plannedStart: `${Y - 1}-05-01` });
    await plan(p2, Y, { keyLevel: 'city', plannedInvestment: 24_000_000, plannedStart: `${Y - 1}-05-01` });
    await report(p2, owner, { month: `${Y - 1}-12`, amount: 3_000_000, on: `${Y}-01-02`, startedOn: `${Y - 1}-05-10` });
    for (let m = 1; m <= 8; m++) await report(p2, owner, { month: mm(m), amount: 1_000_000, on: onTime(mm(m)) });

    // P3: county key project planned to start in April that never started and never reported.
    const p3 = await create('P3', 'A');
    await plan(p3, Y, { keyLevel: 'county', plannedInvestment: 6_000_000, plannedStart: `${Y}-04-01` });

    // P5: not a key project, starts in July as planned and keeps pace.
    const p5 = await create('P5', 'A');
    await plan(p5, Y, { plannedInvestment: 6_000_000, plannedStart: `${Y}-07-01` });
    await report(p5, owner, { month: mm(7), amount: 2_000_000, on: onTime(mm(7)), startedOn: `${Y}-07-15` });
    await report(p5, owner, { month: mm(8), amount: 2_000_000, on: onTime(mm(8)) });

    // Q1: another unit's city key project, on plan, half its plan done by June.
    const q1 = await create('Q1', 'B');
    await plan(q1, Y, { keyLevel: 'city', plannedInvestment: 10_000_000, plannedStart: `${Y}-02-01` });
    for (let m = 2; m <= 8; m++) await report(q1, ownerB, { month: mm(m), amount: 1_000_000, on: onTime(mm(m)), ...(m === 2 ? { startedOn: `${Y}-02-20` } : {}) });
    orgB = (await getProject(ownerB, q1.id)).orgId;

    // P4: works under way without a plan: it reports (staff for the unit, today, so late) but is not rated.
    const p4 = await create('P4', 'A');
    await bringTo(team, await getProject(staff, p4.id), 'implementation');
    const sent = await staff.post(`/api/projects/${p4.id}/monthly-reports`, { month: M, completedInvestment: 500_000, progressPercent: 10, progressNote: '基础施工', problems: '征地拆迁滞后，影响管网施工' });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    expect(sent.body.report).to.include({ problems: '征地拆迁滞后，影响管网施工', progressNote: '基础施工' });
    p4.reports.push({ month: M, amount: 500_000, on: 'today' });
  });

  it('lets staff set a year plan, records it in the history, and refuses owners and a completion before the start', async () => {
    const p1 = projects.get('P1')!;
    const project = await getProject(team.owner, p1.id);
    expect(project.schedule.plans[String(Y)]).to.deep.equal(p1.plan);
    expect(project.affordances).to.include({ mayPlan: false, mayReport: true });
    expect((await historyOf(staff, p1.id)).filter((e) => e.event === 'PLAN')).to.have.length(1);

    expectProblem(await team.owner.put(`/api/projects/${p1.id}/plans/${Y}`, { plannedInvestment: 1 }), 403);
    const backwards = await staff.put(`/api/projects/${p1.id}/plans/${Y}`, { plannedInvestment: 1, plannedStart: `${Y}-05-01`, plannedCompletion: `${Y}-04-01` });
    expectProblem(backwards, 422);
    expect(JSON.stringify(backwards.body)).to.contain('计划竣工不能早于计划开工');
  });

  it('keeps every revision of a report, with running totals, lateness and the reason for a correction', async () => {
    const res = await team.owner.get(`/api/projects/${projects.get('P1')!.id}/monthly-reports`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const items: any[] = res.body.items;
    expect(items.map((r) => `${r.month}#${r.revision}`)).to.deep.equal([3, 4, 5, 6, 7, 8].map((m) => `${mm(m)}#1`).concat(`${mm(8)}#2`));
    const august = items.filter((r) => r.month === mm(8));
    expect(august[0]).to.include({ completedInvestment: 1_000_000, newest: false });
    expect(august[1]).to.include({ completedInvestment: 1_500_000, newest: true, reason: '漏报设备购置款，更正本月完成投资' });
    expect(august[1].reportedBy.role).to.equal('staff');
    expect(august[1].completedThisYear).to.equal(model.completed(projects.get('P1')!, M));
    expect(items.find((r) => r.month === mm(7))).to.include({ late: true });
    expect(items.find((r) => r.month === mm(6))).to.include({ late: false });
    const ofYear = async (year: number | string) => (await team.owner.get(`/api/projects/${projects.get('P1')!.id}/monthly-reports?year=${year}`)).body;
    expect((await ofYear(Y)).items).to.have.length(items.length);
    expect((await ofYear(Y - 1)).items).to.deep.equal([]);
    // The refusal names the field as people know it, never by its key.
    expect((await ofYear('去年')).detail).to.equal('年度须为数字');

    const p2 = await staff.get(`/api/projects/${projects.get('P2')!.id}/monthly-reports`);
    expect(p2.body.items.at(-1)).to.include({ completedSinceStart: 3_000_000 + 8 * 1_000_000, completedThisYear: 8 * 1_000_000 });
  });

  it('refuses a correction without a reason, a month to come, and a report of a project with no plan and no works', async () => {
    const p1 = projects.get('P1')!;
    const again = await team.owner.post(`/api/projects/${p1.id}/monthly-reports`, { month: mm(8), completedInvestment: 1, progressPercent: 60, progressNote: '再报' });
    expectProblem(again, 422);
    expect(JSON.stringify(again.body)).to.contain('更正须说明理由');
    const future = await team.owner.post(`/api/projects/${p1.id}/monthly-reports`, { month: `${Y + 5}-01`, completedInvestment: 1, progressPercent: 60, progressNote: '预报' });
    expectProblem(future, 422);
    const draft = await createProject(team.owner, projectBody());
    const unplanned = await team.owner.post(`/api/projects/${draft.id}/monthly-reports`, { month: M, completedInvestment: 1, progressPercent: 1, progressNote: '无计划' });
    expectProblem(unplanned, 422);
    expect(JSON.stringify(unplanned.body)).to.contain(`尚未制定${Y}年度计划`);
  });

  it('answers 404 to the owner of another organisation, for reading and for reporting', async () => {
    const id = projects.get('P1')!.id;
    expectProblem(await team.otherOwner.get(`/api/projects/${id}/monthly-reports`), 404);
    expectProblem(await team.otherOwner.post(`/api/projects/${id}/monthly-reports`, { month: M, completedInvestment: 1, progressPercent: 1, progressNote: 'x', reason: 'x' }), 404);
    expectProblem(await staff.get('/api/monthly-reports?month=0000-01'), 400);
    const seen = await team.otherOwner.get(`/api/monthly-reports?month=${M}&orgId=${orgA}`);
    expect(seen.body.total).to.equal(0);
  });

  it('shows staff who has reported for the month, who was late and who has not', async () => {
    const res = await staff.get(`/api/monthly-reports?month=${M}&orgId=${orgA}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const status = Object.fromEntries(res.body.items.map((i: any) => [i.projectId, i.status]));
    const id = (key: string) => projects.get(key)!.id;
    expect(status).to.deep.equal({ [id('P1')]: 'on-time', [id('P2')]: 'on-time', [id('P3')]: 'missing', [id('P4')]: 'late', [id('P5')]: 'on-time' });
    expect(res.body.counts).to.deep.equal({ 'on-time': 3, late: 1, missing: 1, 'not-due': 0 });
    expect(res.body.items[0].projectId, 'missing reports come first').to.equal(id('P3'));
    const missing = await staff.get(`/api/monthly-reports?month=${M}&orgId=${orgA}&status=missing`);
    expect(missing.body.items.map((i: any) => i.projectId)).to.deep.equal([id('P3')]);
  });

  it('gives the month’s figures of a unit as the fixture adds them up', async () => {
    const res = await team.leader.get(`/api/stats/schedule?month=${M}&orgId=${orgA}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const expected = model.totals(of('A'));
    expect(res.body).to.include({ ...expected, month: M });
    expect(res.body.startRate).to.be.closeTo(expected.started / expected.plannedToStart, 1e-9);
    // Read by a person: 3 of 4 planned projects were due to start by August (P1, P3, P5), 2 did; 2,100 of 4,800 万元.
    expect(res.body).to.include({ plannedToStart: 3, started: 2, completedInvestment: 21_000_000, plannedInvestment: 48_000_000, behindPlan: 2 });

    const level = (key: string | null) => res.body.levels.find((l: any) => l.keyLevel === key);
    expect(level('province')).to.include({ projects: 1, completedInvestment: model.completed(projects.get('P1')!, M) });
    expect(level(null)).to.include({ projects: 1, label: '非重点项目', plannedInvestment: 6_000_000 });

    for (const point of res.body.months) {
      const completed = sum(of('A').filter((p) => p.plan).map((p) => model.completed(p, point.month)));
      expect(point.completedInvestment, point.month).to.equal(completed);
      expect(point.plannedToDate, point.month).to.equal(sum(of('A').filter((p) => p.plan).map((p) => model.plannedToDate(p, point.month))));
    }
    expect(res.body.months.map((p: any) => p.month)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8].map(mm));

    expect(res.body.notStarted.items.map((i: any) => i.id)).to.deep.equal([projects.get('P3')!.id]);
    expect(res.body.missingReports.items.map((i: any) => [i.id, i.missingReports])).to.deep.equal([[projects.get('P3')!.id, [4, 5, 6, 7, 8].map(mm)]]);
  });

  it('rates each project against its own plan, with its reason, and says which have no plan', async () => {
    const res = await staff.get(`/api/stats/schedule?month=${M}&orgId=${orgA}`);
    const { ratings } = res.body;
    expect(ratings.counts).to.deep.equal({ red: 2, yellow: 1, green: 1 });
    expect(ratings.unrated).to.equal(1);
    const rated = (key: string) => ratings.items.find((i: any) => i.id === projects.get(key)!.id);
    // P1 is ahead of its plan (900 of 800 万元 due) but sent July late.
    expect(rated('P1')).to.include({ rating: 'yellow', ratingLabel: '黄', completedToDate: 9_000_000, plannedToDate: 8_000_000 });
    expect(rated('P1').lateReports).to.deep.equal([mm(7)]);
    expect(rated('P1').reason).to.contain('7月月报逾期报送');
    // P2 did half of what its plan asks by August.
    expect(rated('P2')).to.include({ rating: 'red', completionShare: 0.5 });
    expect(rated('P2').reason).to.contain('800万元').and.contain('1,600万元的50%').and.contain('低于60%');
    // P3 missed its start and every report since.
    expect(rated('P3')).to.include({ rating: 'red', startMissed: true });
    expect(rated('P3').reason).to.contain('计划4月开工，至今未开工').and.contain('4月、5月、6月、7月、8月月报未报送');
    expect(rated('P5')).to.include({ rating: 'green' });
    expect(rated('P4')).not.to.have.property('rating');
    expect(rated('P4').reason).to.equal(`尚未制定${Y}年度计划，无法评定`);
    expect(ratings.items.at(-1).id, 'unrated projects come last').to.equal(projects.get('P4')!.id);

    const red = await staff.get(`/api/stats/schedule/projects?month=${M}&orgId=${orgA}&figure=red`);
    expect(red.body.items.map((i: any) => i.id)).to.have.members([projects.get('P2')!.id, projects.get('P3')!.id]);
    expect(red.body.total).to.equal(ratings.counts.red);
  });

  it('checks 双过半 per project and per unit, and flags the best and worst units', async () => {
    const res = await team.leader.get(`/api/stats/schedule?month=${M}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const unit = (orgId: string) => res.body.units.find((u: any) => u.orgId === orgId);
    for (const [orgId, org] of [[orgA, 'A'], [orgB, 'B']] as const) {
      const expected = model.totals(of(org));
      expect(unit(orgId), org).to.include({ projects: expected.projects, completedInvestment: expected.completedInvestment, plannedInvestment: expected.plannedInvestment });
      expect(unit(orgId).halfYear.passed, org).to.equal(model.halfYearPassed(of(org).filter((p) => p.plan)));
    }
    expect(unit(orgA).halfYear).to.include({ passed: false, completedByHalfYear: 12_500_000, plannedInvestment: 48_000_000, passedProjects: 1 });
    expect(unit(orgB).halfYear).to.include({ passed: true, completedByHalfYear: 5_000_000 });
    expect(res.body.halfYear.failingUnits.map((u: any) => u.orgId)).to.include(orgA).and.not.include(orgB);
    // Only this file plans in its year: B (70%) is the best unit and A (43.75%) the worst.
    expect(res.body.flags).to.deep.equal({ red: [orgB], black: [orgA] });
    expect(unit(orgB).flag).to.equal('red');

    const city = await team.leader.get(`/api/stats/schedule?month=${M}&keyLevel=city`);
    expect(city.body.projects).to.equal(2);
    expect(city.body.completedInvestment).to.equal(model.completed(projects.get('P2')!, M) + model.completed(projects.get('Q1')!, M));
    const failing = await team.leader.get(`/api/stats/schedule/projects?month=${M}&figure=halfYearFailing&orgId=${orgA}`);
    expect(failing.body.items.map((i: any) => i.id)).to.have.members(['P2', 'P3', 'P5'].map((k) => projects.get(k)!.id));
    const before = await team.leader.get(`/api/stats/schedule?month=${mm(5)}&orgId=${orgA}`);
    expect(before.body).not.to.have.property('halfYear');
  });

  it('lets only staff and leaders see the figures', async () => {
    for (const path of [`/api/stats/schedule?month=${M}`, `/api/stats/schedule/projects?month=${M}&figure=planned`]) {
      expectProblem(await team.owner.get(path), 403);
      expectProblem(await team.administrator.get(path), 403);
    }
  });

  it('keeps each project’s schedule equal to the one its history gives, and each report stored as sent', async () => {
    const report = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
    const ours = new Set(all().map((p) => p.id));
    expect(report.violations.filter((v) => v.projectId && ours.has(v.projectId))).to.deep.equal([]);
  });
});
