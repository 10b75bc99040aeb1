import { expect } from 'chai';
import type { CurrentUser } from '../src/shared/current-user';
import { sendEvent as sendEventAt } from '../src/workflow/workflow.service';
import { sendMonthlyReport } from '../src/schedule/schedule.service';
import { rules } from '../workflows/rules-file';
import { currentScheduleMonth } from '../workflows/schedule';
import { amountText } from '../workflows/units';
import { chinaDay as chinaDayOf } from '../workflows/working-days';
import type { ApiClient } from './support/client';
import { checkTotal, loadWorkbook, readSheet } from './support/exports';
import {
  acceptAll,
  advance,
  anonymousClient,
  createProject,
  createTeam,
  expectProblem,
  getProject,
  projectBody,
  requiredDocuments,
  review,
  specialBondBody,
  unique,
  upload,
  type Team,
} from './support/fixtures';

/**
 * Every figure here is computed by the test from what it did (the `facts`),
 * never by the code under test; projects are driven through the HTTP API, and
 * through the workflow service with a past clock where a date must lie in the past.
 */
const DAY = 86_400_000;
const chinaYear = (at: Date) => Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(at));
const T = chinaYear(new Date());
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
const inLastYear = (monthDay: string) => new Date(`${T - 1}-${monthDay}T10:00:00+08:00`);
/** The month whose figures are current today (its reports all due), and its year: ratings and the board are of it. */
const CM = currentScheduleMonth(chinaDayOf(new Date()), rules);
const CY = Number(CM.slice(0, 4));
const CM_NUMBER = Number(CM.slice(5));
const total = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

type Channel = 'central_budget' | 'special_bond';

interface Tracked {
  key: string;
  id: string;
  version: number;
  channel: Channel;
  name: string;
  requestedAmount: number;
  totalInvestment: number;
}

/** What the test did, from which it computes every expected figure on its own. */
class Facts {
  applied: { key: string; channel: Channel; year: number; amount: number }[] = [];
  secured: { key: string; channel: Channel; year: number; amount: number }[] = [];
  disbursed = new Map<string, number>();
  dropped = new Set<string>();
  reviewsEnded: { year: number; late: boolean }[] = [];
  issues: { key: string; kind: string; reason: string; status: string }[] = [];
  admitted = new Set<string>();
  /** Investment completed this year (of CY) by the end of CM, by project. */
  completed = new Map<string, number>();

  funds(channel: Channel, year: number) {
    const latest = new Map<string, number>();
    for (const a of this.applied) if (a.channel === channel && a.year === year && !this.dropped.has(a.key)) latest.set(a.key, a.amount);
    const secured = new Map<string, number>();
    for (const s of this.secured) if (s.channel === channel && s.year === year) secured.set(s.key, (secured.get(s.key) ?? 0) + s.amount);
    return {
      year,
      channel,
      appliedCount: latest.size,
      appliedAmount: total(latest.values()),
      securedCount: secured.size,
      securedAmount: total(secured.values()),
    };
  }

  securedOf(key: string) {
    return total(this.secured.filter((s) => s.key === key).map((s) => s.amount));
  }
}

/** Drives projects of one organisation through the pipeline, recording the facts. */
class Pipeline {
  readonly facts = new Facts();
  readonly projects = new Map<string, Tracked>();

  constructor(readonly team: Team) {}

  private who(client: ApiClient): CurrentUser {
    return { ...(client.user as CurrentUser), displayName: (client.user as { displayName?: string }).displayName ?? '测试' };
  }

  async create(key: string, body: Record<string, unknown>) {
    const project = await createProject(this.team.owner, body);
    const tracked: Tracked = { key, id: project.id, version: project.version, channel: project.channel, name: project.name, requestedAmount: project.requestedAmount, totalInvestment: project.totalInvestment };
    this.projects.set(key, tracked);
    return tracked;
  }

  async refresh(p: Tracked) {
    p.version = (await getProject(this.team.staff, p.id)).version;
  }

  async send(p: Tracked, client: ApiClient, type: string, extras: { reason?: string; data?: Record<string, unknown> } = {}) {
    const project = await advance(client, p, type, extras);
    p.version = project.version;
    return project;
  }

  /** The same event, dated `at` (the HTTP API always stamps now). */
  async sendAt(p: Tracked, client: ApiClient, type: string, at: Date, extras: { reason?: string; data?: Record<string, unknown> } = {}) {
    const project = await sendEventAt(this.who(client), p.id, { type, expectedVersion: p.version, ...extras }, at);
    p.version = project.version;
    return project;
  }

  async admit(p: Tracked, options: { returnFirst?: string } = {}) {
    await acceptAll(this.team.owner, this.team.staff, p.id, requiredDocuments[p.channel].draft);
    await this.refresh(p);
    await this.send(p, this.team.owner, 'SUBMIT');
    if (options.returnFirst) {
      await this.send(p, this.team.staff, 'RETURN', { reason: options.returnFirst });
      this.facts.reviewsEnded.push({ year: T, late: false });
      this.facts.issues.push({ key: p.key, kind: '入库审核退回补正', reason: options.returnFirst, status: '已解决' });
      await this.send(p, this.team.owner, 'SUBMIT');
    }
    await this.send(p, this.team.staff, 'APPROVE');
    this.facts.reviewsEnded.push({ year: T, late: false });
    this.facts.admitted.add(p.key);
  }

  async prepare(p: Tracked, rejectFirst?: string) {
    await this.send(p, this.team.owner, 'START_PRELIMINARY');
    for (const docType of requiredDocuments[p.channel].preliminary) {
      const first = await upload(this.team.owner, p.id, docType);
      if (docType === 'eia' && rejectFirst) {
        await review(this.team.staff, first.id, 'reject', rejectFirst);
        this.facts.issues.push({ key: p.key, kind: '材料退回：环评批复', reason: rejectFirst, status: '已解决' });
        await review(this.team.staff, (await upload(this.team.owner, p.id, docType)).id, 'accept');
      } else {
        await review(this.team.staff, first.id, 'accept');
      }
    }
    await this.refresh(p);
  }

  /** SUBMIT from preliminary and APPROVE upward: an application in the year of `at` (today when not given). */
  async forward(p: Tracked, at?: Date) {
    if (at) {
      await this.sendAt(p, this.team.owner, 'SUBMIT', new Date(at.getTime() - 60_000));
      await this.sendAt(p, this.team.staff, 'APPROVE', at);
    } else {
      await this.send(p, this.team.owner, 'SUBMIT');
      await this.send(p, this.team.staff, 'APPROVE');
    }
    const year = at ? chinaYear(at) : T;
    this.facts.reviewsEnded.push({ year, late: false });
    this.facts.applied.push({ key: p.key, channel: p.channel, year, amount: p.requestedAmount });
  }

  /** Not chosen this round; back to the reserve, and `resolved` says whether a later round will be forwarded. */
  async decline(p: Tracked, reason: string, status: string) {
    await this.send(p, this.team.staff, 'RECORD_REJECTION', { reason });
    this.facts.issues.push({ key: p.key, kind: '上级未予批复', reason, status });
  }

  async approve(p: Tracked, amount: number, year: number) {
    await this.send(p, this.team.staff, 'RECORD_APPROVAL', { data: { amount, year, docNo: `发改投资〔${year}〕${unique('')}号`, date: `${year}-06-30` } });
    if (p.channel === 'central_budget') this.facts.secured.push({ key: p.key, channel: p.channel, year, amount });
  }

  async issue(p: Tracked, amount: number, issueDate: string) {
    const batch = unique('批次');
    await this.send(p, this.team.staff, 'RECORD_ISSUANCE', { data: { batch, bondCode: unique('BC'), amount, termYears: 10, rate: 2.5, issueDate } });
    this.facts.secured.push({ key: p.key, channel: p.channel, year: Number(issueDate.slice(0, 4)), amount });
  }

  /** The year's plan, set by staff, for the year of the figures now current. */
  async plan(p: Tracked, plannedInvestment: number, plannedStart: string) {
    const res = await this.team.staff.put(`/api/projects/${p.id}/plans/${CY}`, { keyLevel: 'county', plannedInvestment, plannedStart });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    p.version = res.body.project.version;
  }

  /** Monthly reports from January to the current month, each sent in time (on the 2nd of the next month) and completing `amount`. */
  async reportEveryMonth(p: Tracked, amount: number, startedOn: string, note: string) {
    for (let m = 1; m <= CM_NUMBER; m++) {
      const month = `${CY}-${String(m).padStart(2, '0')}`;
      const sentOn = m === 12 ? `${CY + 1}-01-02` : `${CY}-${String(m + 1).padStart(2, '0')}-02`;
      const input = { month, completedInvestment: amount, progressPercent: m * 5, progressNote: note, ...(m === 1 ? { startedOn } : {}) };
      await sendMonthlyReport(this.who(this.team.owner), p.id, input, new Date(`${sentOn}T10:00:00+08:00`));
    }
    this.facts.completed.set(p.key, amount * CM_NUMBER);
    await this.refresh(p);
  }

  async disburse(p: Tracked, amount: number) {
    await this.send(p, this.team.staff, 'RECORD_DISBURSEMENT', { data: { amount, date: `${T}-01-15` } });
    this.facts.disbursed.set(p.key, (this.facts.disbursed.get(p.key) ?? 0) + amount);
  }
}

const centralBody = (overrides: Record<string, unknown> = {}) => projectBody({ name: unique('中央预算内项目'), ...overrides });
const bondBody = (overrides: Record<string, unknown> = {}) => specialBondBody(1.5, { name: unique('专项债券项目'), ...overrides });

/**
 * The fixture: one organisation, projects over two years.
 * C1 applied this year, plan of this year, in implementation; planned to start in January of the
 *    year of the current figures but never reported (red).
 * C2 applied last year, declined, applied again this year; plan of this year; in implementation,
 *    completing three quarters of its plan month by month (yellow).
 * C3 applied this year, declined, then removed (出库): counts nowhere.
 * C4 applied this year, declined, then withdrawn by its owner: counts nowhere.
 * C5 applied last year, plan of last year.
 * S1 applied last year, bond batches last year and this year, in implementation, fully disbursed,
 *    completing its plan month by month (green).
 * S2 (water) applied this year, two batches this year.
 * S3 applied this year, declined, its request cut, applied again this year; quota but no issue yet.
 * O1 submitted a month ago and still waiting for 入库审核 (overdue); O2 admitted today after a month (late).
 */
async function buildFixture(): Promise<Pipeline> {
  const run = new Pipeline(await createTeam());
  const { owner, staff } = run.team;

  const c1 = await run.create('C1', centralBody({ startYear: 2020, endYear: 2021 }));
  await run.admit(c1, { returnFirst: '项目建议书缺少建设规模' });
  await run.prepare(c1, '环评批复文号不清晰');
  await run.forward(c1);
  await run.approve(c1, 30_000_000, T);
  await run.send(c1, staff, 'START_IMPLEMENTATION');
  await run.disburse(c1, 5_000_000);
  await run.send(c1, staff, 'RECORD_PROGRESS', { data: { percent: 10, note: '张工负责现场，主体施工中' } });
  await run.plan(c1, 12_000_000, `${CY}-01-01`);

  const c2 = await run.create('C2', centralBody({ startYear: T + 5, endYear: T + 6 }));
  await run.admit(c2);
  await run.prepare(c2);
  await run.forward(c2, inLastYear('05-20'));
  await run.decline(c2, '年度计划规模有限', '已解决');
  await run.send(c2, owner, 'START_PRELIMINARY');
  await run.forward(c2);
  await run.approve(c2, 25_000_000, T);
  await run.sendAt(c2, staff, 'START_IMPLEMENTATION', daysAgo(60));
  await run.sendAt(c2, staff, 'RECORD_PROGRESS', daysAgo(45), { data: { percent: 100, note: '提前完成主体工程' } });
  await run.plan(c2, 12_000_000, `${CY - 1}-06-01`);
  await run.reportEveryMonth(c2, 750_000, `${CY - 1}-06-10`, '李工带队，主体结构施工');

  const c3 = await run.create('C3', centralBody());
  await run.admit(c3);
  await run.prepare(c3);
  await run.forward(c3);
  await run.decline(c3, '不符合支持方向', '已办结（出库）');
  await run.send(c3, staff, 'REMOVE', { reason: '项目单位决定不再实施' });
  run.facts.issues.push({ key: 'C3', kind: '出库', reason: '项目单位决定不再实施', status: '已办结' });
  run.facts.dropped.add('C3');

  const c4 = await run.create('C4', centralBody());
  await run.admit(c4);
  await run.prepare(c4);
  await run.forward(c4);
  await run.decline(c4, '前期工作深度不足', '已办结（撤回）');
  await run.send(c4, owner, 'START_PRELIMINARY');
  await run.send(c4, owner, 'WITHDRAW');
  run.facts.dropped.add('C4');

  const c5 = await run.create('C5', centralBody({ requestedAmount: 12_345_678, funding: { centralBudget: 12_345_678, specialBond: 0, localFiscal: 57_654_322, selfRaised: 30_000_000, other: 0 } }));
  await run.admit(c5);
  await run.prepare(c5);
  await run.forward(c5, inLastYear('03-10'));
  await run.approve(c5, 10_000_000, T - 1);

  const s1 = await run.create('S1', bondBody({ startYear: 2000, endYear: 2000 }));
  await run.admit(s1);
  await run.prepare(s1);
  await run.forward(s1, inLastYear('04-01'));
  await run.approve(s1, 50_000_000, T - 1);
  await run.issue(s1, 20_000_000, `${T - 1}-11-20`);
  await run.issue(s1, 15_000_000, `${T}-03-15`);
  await run.send(s1, staff, 'START_IMPLEMENTATION');
  await run.disburse(s1, 35_000_000);
  await run.send(s1, staff, 'RECORD_PROGRESS', { data: { percent: 0, note: '征地拆迁未完成' } });
  await run.plan(s1, 24_000_000, `${CY}-01-01`);
  await run.reportEveryMonth(s1, 2_000_000, `${CY}-01-05`, '桩基施工');

  const s2 = await run.create('S2', bondBody({ field: 'water' }));
  await run.admit(s2);
  await run.prepare(s2);
  await run.forward(s2);
  await run.approve(s2, 30_000_000, T);
  await run.issue(s2, 10_000_000, `${T}-05-10`);
  await run.issue(s2, 12_000_000, `${T}-08-01`);

  const s3 = await run.create('S3', bondBody());
  await run.admit(s3);
  await run.prepare(s3);
  await run.forward(s3);
  await run.decline(s3, '额度不足', '已解决');
  await run.send(s3, owner, 'START_PRELIMINARY');
  const cut = await owner.patch(`/api/projects/${s3.id}`, { requestedAmount: 90_000_000, expectedVersion: s3.version });
  expect(cut.status, JSON.stringify(cut.body)).to.equal(200);
  s3.version = cut.body.project.version;
  s3.requestedAmount = 90_000_000;
  await run.forward(s3);
  await run.approve(s3, 8_000_000, T);

  const o1 = await run.create('O1', centralBody());
  await acceptAll(owner, staff, o1.id, ['proposal']);
  await run.refresh(o1);
  await run.sendAt(o1, owner, 'SUBMIT', daysAgo(30));

  const o2 = await run.create('O2', centralBody());
  await acceptAll(owner, staff, o2.id, ['proposal']);
  await run.refresh(o2);
  await run.sendAt(o2, owner, 'SUBMIT', daysAgo(30));
  await run.send(o2, staff, 'APPROVE');
  run.facts.reviewsEnded.push({ year: T, late: true });
  run.facts.admitted.add('O2');
  return run;
}

async function ledger(client: ApiClient, kind: string, orgId: string) {
  const res = await client.get(`/api/exports/ledger.xlsx?kind=${kind}&orgId=${orgId}`);
  expect(res.status, String(res.body)).to.equal(200);
  expect(res.headers.get('content-type')).to.contain('spreadsheetml');
  expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).to.match(/台账.*\.xlsx/);
  return readSheet((await loadWorkbook(res.body)).worksheets[0]!);
}

describe('reports: funds, pipeline, summary, ledgers, hall board', function () {
  this.timeout(180_000);
  let run: Pipeline;
  let leader: ApiClient;
  let orgId: string;

  before(async function () {
    run = await buildFixture();
    leader = run.team.leader;
    orgId = run.team.orgId;
  });

  it('gives applied and secured funds per year and channel as the fixture adds them up', async () => {
    const res = await leader.get(`/api/stats/funds?from=${T - 1}&to=${T}&orgId=${orgId}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const expected = [T - 1, T].flatMap((year) => (['central_budget', 'special_bond'] as const).map((c) => run.facts.funds(c, year)));
    expect(res.body.items).to.deep.equal(expected);
    // Spot checks a reader can follow: last year's bond batch and this year's, each counted in its own year.
    expect(res.body.items.find((r: any) => r.year === T - 1 && r.channel === 'special_bond')).to.include({ securedCount: 1, securedAmount: 20_000_000 });
    expect(res.body.items.find((r: any) => r.year === T && r.channel === 'special_bond')).to.include({ securedCount: 2, securedAmount: 15_000_000 + 22_000_000 });
    // C3 and C4 applied this year but dropped out; C1 and C2 remain. S3 counts once, at its reduced request.
    expect(res.body.items.find((r: any) => r.year === T && r.channel === 'central_budget')).to.include({ appliedCount: 2, appliedAmount: 80_000_000 });
    expect(res.body.items.find((r: any) => r.year === T && r.channel === 'special_bond')).to.include({ appliedCount: 2, appliedAmount: 120_000_000 + 90_000_000 });

    const staffView = await run.team.staff.get(`/api/stats/funds?from=${T - 1}&to=${T}&orgId=${orgId}`);
    expect(staffView.body.items).to.deep.equal(expected);
  });

  it('filters the funds by field', async () => {
    const res = await leader.get(`/api/stats/funds?from=${T}&to=${T}&orgId=${orgId}&field=water`);
    expect(res.status).to.equal(200);
    expect(res.body.items).to.deep.equal([
      { year: T, channel: 'central_budget', appliedCount: 0, appliedAmount: 0, securedCount: 0, securedAmount: 0 },
      { year: T, channel: 'special_bond', appliedCount: 1, appliedAmount: 120_000_000, securedCount: 1, securedAmount: 22_000_000 },
    ]);
  });

  it('lists the projects behind each figure, and they add up to it', async () => {
    for (const year of [T - 1, T]) {
      for (const channel of ['central_budget', 'special_bond'] as const) {
        const items: any[] = [];
        let body: any;
        for (let page = 1; !body || items.length < body.total; page++) {
          const res = await leader.get(`/api/stats/funds/${year}/${channel}/projects?orgId=${orgId}&page=${page}&limit=2`);
          expect(res.status, JSON.stringify(res.body)).to.equal(200);
          body = res.body;
          items.push(...body.items);
        }
        const figure = run.facts.funds(channel, year);
        const { year: _y, channel: _c, ...totals } = figure;
        expect(body.totals, `${year} ${channel}`).to.deep.equal(totals);
        expect(total(items.map((i) => i.appliedAmount))).to.equal(figure.appliedAmount);
        expect(total(items.map((i) => i.securedAmount))).to.equal(figure.securedAmount);
        expect(items.filter((i) => i.appliedAmount > 0).length).to.equal(figure.appliedCount);
        expect(items.filter((i) => i.securedAmount > 0).length).to.equal(figure.securedCount);
        const names = items.map((i) => i.name);
        expect(names).not.to.include.members([run.projects.get('C3')!.name, run.projects.get('C4')!.name]);
      }
    }
  });

  it('counts the pipeline, flags overdue reviews and rates projects in implementation', async () => {
    const res = await leader.get(`/api/stats/pipeline?orgId=${orgId}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const count = (channel: string, stage: string) => res.body.stages.find((s: any) => s.channel === channel && s.stage === stage)?.count;
    expect(count('central_budget', 'implementation')).to.equal(2);
    expect(count('central_budget', 'reserve_review')).to.equal(1);
    expect(count('central_budget', 'reserve')).to.equal(1);
    expect(count('central_budget', 'removed')).to.equal(1);
    expect(count('central_budget', 'withdrawn')).to.equal(1);
    expect(count('central_budget', 'approved')).to.equal(1);
    expect(count('special_bond', 'issued')).to.equal(1);
    expect(count('special_bond', 'approved')).to.equal(1);
    expect(count('central_budget', 'issued'), 'central plans have no issuance stage').to.equal(undefined);
    expect(total(res.body.stages.map((s: any) => s.count))).to.equal(run.projects.size);

    expect(res.body.overdueReviews.count).to.equal(1);
    expect(res.body.overdueReviews.items[0]).to.include({ name: run.projects.get('O1')!.name, stage: 'reserve_review', limitWorkingDays: 5 });

    expect(res.body.ratings).to.include({ month: CM, unrated: 0 });
    expect(res.body.ratings.counts).to.deep.equal({ red: 1, yellow: 1, green: 1 });
    const rated = (key: string) => res.body.ratings.items.find((i: any) => i.name === run.projects.get(key)!.name);
    expect(rated('C1')).to.include({ rating: 'red', startMissed: true, completedToDate: 0 });
    expect(rated('C1').missingReports).to.have.length(CM_NUMBER);
    expect(rated('C1').reason).to.contain('计划1月开工，至今未开工').and.contain('月报未报送');
    expect(rated('C2')).to.include({ rating: 'yellow', completedToDate: run.facts.completed.get('C2'), completionShare: 0.75 });
    expect(rated('C2').reason).to.contain('的75%').and.contain('低于90%');
    expect(rated('S1')).to.include({ rating: 'green', completionShare: 1 });
  });

  it('writes the report paragraph with the right figures', async () => {
    const res = await leader.get(`/api/stats/summary?year=${T}&orgId=${orgId}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const central = run.facts.funds('central_budget', T);
    const bond = run.facts.funds('special_bond', T);
    const text: string = res.body.text;
    expect(text).to.contain(`争取到位中央预算内资金项目${central.securedCount}个、资金${amountText(central.securedAmount)}；专项债券项目${bond.securedCount}个、${amountText(bond.securedAmount)}`);
    expect(text).to.contain(`向上申报中央预算内资金项目${central.appliedCount}个、申请资金${amountText(central.appliedAmount)}，专项债券项目${bond.appliedCount}个、申请${amountText(bond.appliedAmount)}`);
    const before = run.facts.funds('central_budget', T - 1);
    const change = central.securedAmount - before.securedAmount;
    expect(text).to.contain(`中央预算内到位资金增加${amountText(change)}（增长${((change / before.securedAmount) * 100).toFixed(1)}%）`);
    const ended = run.facts.reviewsEnded.filter((r) => r.year === T);
    expect(text).to.contain(`办结入库审核和申报审核${ended.length}件，其中超过办理时限${ended.filter((r) => r.late).length}件；目前在审且已超过时限的1件`);
    expect(res.body.reviews).to.deep.equal({ finished: ended.length, finishedLate: 1, openOverdue: 1 });

    // Each amount in the unit its size calls for: never "0.55亿元".
    expect(text).not.to.match(/[^\d,]0\.\d+亿元/);

    const lastYear = await leader.get(`/api/stats/summary?year=${T - 1}&orgId=${orgId}`);
    const old = run.facts.funds('special_bond', T - 1);
    expect(lastYear.body.text).to.match(new RegExp(`^${T - 1}年，`));
    expect(lastYear.body.text).to.contain(`专项债券项目${old.securedCount}个、${amountText(old.securedAmount)}`);
    expect(lastYear.body.text).not.to.contain('目前在审');
  });

  it('exports the progress ledger with totals that match the API', async () => {
    const book = await ledger(leader, 'progress', orgId);
    // Every project with funds secured, started or not (C5 and S2 have not started), or with a plan for the year;
    // S3 has a bond quota but nothing issued yet.
    const keys = [...run.projects.keys()].filter((k) => run.facts.securedOf(k) > 0 || run.facts.completed.has(k) || k === 'C1');
    expect(keys).to.have.members(['C1', 'C2', 'C5', 'S1', 'S2']);
    expect(book.rows.map((r) => r['项目名称'])).to.have.members(keys.map((k) => run.projects.get(k)!.name));
    expect(book.sheet.views[0]).to.include({ state: 'frozen', ySplit: 1 });
    expect(book.sheet.autoFilter).to.equal(`A1:${String.fromCharCode(64 + book.headers.length)}${book.rows.length + 1}`);
    expect(book.sheet.getColumn(2).width).to.be.greaterThan(book.sheet.getColumn(1).width!);
    expect(book.sheet.getColumn(book.headers.indexOf('到位资金（万元）') + 1).numFmt).to.equal('#,##0.00');

    expect(checkTotal(book, '项目名称', 'count')).to.equal(keys.length);
    expect(checkTotal(book, '本年完成投资（万元）', 'sum')).to.be.closeTo(total(run.facts.completed.values()) / 1e4, 1e-6);
    expect(checkTotal(book, '年度计划投资（万元）', 'sum')).to.be.closeTo((12_000_000 + 12_000_000 + 24_000_000) / 1e4, 1e-6);
    const secured = checkTotal(book, '到位资金（万元）', 'sum');
    const disbursed = checkTotal(book, '已拨付（万元）', 'sum');
    expect(secured).to.be.closeTo(total(keys.map((k) => run.facts.securedOf(k))) / 1e4, 1e-6);
    expect(disbursed).to.be.closeTo(total(run.facts.disbursed.values()) / 1e4, 1e-6);
    const fromApi = await Promise.all(keys.map((k) => getProject(leader, run.projects.get(k)!.id)));
    expect(secured).to.be.closeTo(total(fromApi.map((p) => p.securedAmount)) / 1e4, 1e-6);
    expect(disbursed).to.be.closeTo(total(fromApi.map((p) => p.disbursedAmount)) / 1e4, 1e-6);
    const row = (key: string) => book.rows.find((r) => r['项目名称'] === run.projects.get(key)!.name)!;
    expect(row('C1')).to.include({ '红黄绿': '红', '计划开工': `${CY}-01-01`, '重点项目': '区（县）重点' });
    expect(row('C1')['实际开工']).to.equal(undefined);
    expect(row('S1')).to.include({ '红黄绿': '绿', '形象进度（%）': CM_NUMBER * 5, '最新进展情况': '桩基施工', '实际开工': `${CY}-01-05` });
    expect(row('S2')['红黄绿'], 'no plan, not started: not rated').to.equal(undefined);
  });

  it('exports the procedures ledger with each document state', async () => {
    const book = await ledger(leader, 'procedures', orgId);
    const live = [...run.projects.values()].filter((p) => !run.facts.dropped.has(p.key));
    expect(book.rows.map((r) => r['项目名称'])).to.have.members(live.map((p) => p.name));
    expect(checkTotal(book, '项目名称', 'count')).to.equal(live.length);
    expect(checkTotal(book, '总投资（万元）', 'sum')).to.be.closeTo(total(live.map((p) => p.totalInvestment)) / 1e4, 1e-6);
    const c1 = book.rows.find((r) => r['项目名称'] === run.projects.get('C1')!.name)!;
    expect(c1).to.include({ '环评批复': '已通过', '资金申请报告': '已通过', '实施方案': '不适用', '施工许可证': '未上传', '一件三证': '未具备' });
    const o1 = book.rows.find((r) => r['项目名称'] === run.projects.get('O1')!.name)!;
    expect(o1).to.include({ '项目建议书或项目简介': '已通过', '环评批复': '未上传' });
  });

  it('exports the issues ledger: every problem raised, and whether it was solved', async () => {
    const book = await ledger(leader, 'issues', orgId);
    const name = (key: string) => run.projects.get(key)!.name;
    const seen = book.rows.map((r) => [r['项目名称'], r['问题类型'], r['问题描述'], r['办理状态']]);
    expect(seen).to.have.deep.members(run.facts.issues.map((i) => [name(i.key), i.kind, i.reason, i.status]));
    expect(checkTotal(book, '项目名称', 'count')).to.equal(run.facts.issues.length);
  });

  it('exports the intake ledger: every project admitted to the reserve', async () => {
    const book = await ledger(leader, 'intake', orgId);
    const admitted = [...run.facts.admitted].map((k) => run.projects.get(k)!);
    expect(book.rows.map((r) => r['项目名称'])).to.have.members(admitted.map((p) => p.name));
    expect(checkTotal(book, '总投资（万元）', 'sum')).to.be.closeTo(total(admitted.map((p) => p.totalInvestment)) / 1e4, 1e-6);
    expect(checkTotal(book, '申请资金（万元）', 'sum')).to.be.closeTo(total(admitted.map((p) => p.requestedAmount)) / 1e4, 1e-6);
    const c3 = book.rows.find((r) => r['项目名称'] === run.projects.get('C3')!.name)!;
    expect(c3['当前阶段']).to.equal('出库');
    expect(c3['入库日期']).to.match(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('exports a project whose name holds characters a workbook cannot (NUL, U+FFFF) as a file Excel opens', async () => {
    const team = await createTeam(run.team.admin);
    const name = unique('项目\u0000名称\uffff');
    const project = await createProject(team.owner, projectBody({ name }));
    const list = await team.staff.get(`/api/projects/export.xlsx?ids=${project.id}`);
    expect(list.status).to.equal(200);
    const shown = readSheet((await loadWorkbook(list.body)).worksheets[0]!).rows.map((r) => r['项目名称']);
    expect(shown).to.deep.equal([name.replace('\u0000', '\ufffd').replace('\uffff', '\ufffd')]);
    expect((await ledger(team.staff, 'procedures', team.orgId)).rows.map((r) => r['项目名称'])).to.deep.equal(shown);
  });

  it('shows the hall board without login, with no amounts and no names of people', async () => {
    const res = await anonymousClient().get('/api/public/board');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const names = (list: any[]) => list.map((i) => i.name);
    // Ranked by completion against the plan to date: S1 on plan, C2 at three quarters, C1 at nothing;
    // each list holds only the projects on its side of their plan.
    expect(res.body.month).to.equal(CM);
    // (Other test files' projects may be on the board too: only the order of these three is this file's to check.)
    const [s1, c2, c1] = ['S1', 'C2', 'C1'].map((k) => run.projects.get(k)!.name);
    // (The slowest list shows the five furthest behind: other files' projects at nothing may keep C2 off it.)
    expect(names(res.body.fastest)).to.include(s1);
    expect(names(res.body.fastest)).not.to.include.any.members([c1, c2]);
    expect(names(res.body.slowest)).to.include(c1);
    if (names(res.body.slowest).includes(c2)) expect(names(res.body.slowest).indexOf(c1)).to.be.below(names(res.body.slowest).indexOf(c2));
    const share = Math.round((CM_NUMBER / 12) * 100);
    expect(res.body.fastest.find((i: any) => i.name === s1)).to.include({ progressPercent: CM_NUMBER * 5, plannedPercent: share, completionPercent: share });
    expect(res.body.slowest.find((i: any) => i.name === c1)).to.include({ completionPercent: 0, progressPercent: null, lastReportDate: null });
    for (const item of [...res.body.fastest, ...res.body.slowest]) {
      expect(Object.keys(item)).to.have.members(['rank', ...res.body.columns.map((c: any) => c.key)]);
      expect(item).not.to.have.any.keys('totalInvestment', 'securedAmount', 'disbursedAmount', 'requestedAmount', 'note', 'actorName');
    }
    const shown = JSON.stringify(res.body);
    expect(shown).not.to.match(/测试(owner|staff|leader)|张工|李工|主体施工中|桩基施工/);
    for (const amount of [30_000_000, 25_000_000, 35_000_000, 5_000_000, 100_000_000, 200_000_000, 12_000_000, 24_000_000]) {
      expect(shown).not.to.contain(String(amount));
    }
  });

  it('lets only staff and leaders see stats and exports', async () => {
    const routes = [
      '/api/stats/funds',
      `/api/stats/funds/${T}/central_budget/projects`,
      '/api/stats/pipeline',
      `/api/stats/summary?year=${T}`,
      ...['progress', 'procedures', 'issues', 'intake'].map((kind) => `/api/exports/ledger.xlsx?kind=${kind}`),
    ];
    for (const route of routes) {
      expectProblem(await run.team.owner.get(route), 403);
      expectProblem(await run.team.administrator.get(route), 403);
      expectProblem(await anonymousClient().get(route), 401);
      expect((await run.team.staff.get(`${route}${route.includes('?') ? '&' : '?'}orgId=${orgId}`)).status, route).to.equal(200);
    }
  });

  it('refuses malformed report requests', async () => {
    expectProblem(await leader.get(`/api/stats/funds?from=${T}&to=${T - 1}`), 400);
    expectProblem(await leader.get('/api/stats/funds?orgId=nonsense'), 400);
    expectProblem(await leader.get('/api/stats/funds/1999/central_budget/projects'), 400);
    expectProblem(await leader.get(`/api/stats/funds/${T}/lottery/projects`), 400);
    expectProblem(await leader.get('/api/exports/ledger.xlsx?kind=salaries'), 400);
  });
});
