import { expect } from 'chai';
import { Types } from 'mongoose';
import { fundsDataProblems, recordFunds } from '../workflows/funds';
import { moneyYears, quotasOf, quotaUses, releasesOf, securedFunds, securedInYear } from '../workflows/money';
import { emptyRecord, type WorkflowRecord } from '../workflows/project-state';
import { checkInvariants } from '../src/integrity/invariants';
import { projectViolations } from '../src/integrity/project-rules';
import { projectStore } from '../src/projects/project-store';
import { projectHistory } from '../src/projects/project.repository';
import type { ApiClient } from './support/client';
import { readPdf } from './support/exports';
import { service } from './support/hooks';
import { advance, bringTo, createProject, createTeam, expectProblem, expectWrittenForPeople, getProject, historyOf, projectBody, sendEvent, specialBondBody, unique, type Team } from './support/fixtures';

/**
 * Money over several years (docs/domain.md, "Money over several years"): a
 * continuing central-budget project receives plan amounts in later years, a
 * special-bond project further quotas and issuances against each, and the
 * district's bond quotas are shared out and never over-allocated. Every figure
 * expected here is worked out from what the test did.
 */
const chinaYear = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
const Y1 = chinaYear - 1;
const Y2 = chinaYear;
const WAN = 10_000;

function expectFieldError(res: { status: number; body: any; headers: Headers }, path: string, words?: string) {
  expectProblem(res, 422);
  expectWrittenForPeople(res.body);
  expect(res.body.errors?.map((e: any) => e.path), JSON.stringify(res.body)).to.include(path);
  if (words) expect(JSON.stringify(res.body)).to.include(words);
}

const approval = (amount: number, year: number, extra: Record<string, unknown> = {}) => ({
  data: { amount, year, docNo: unique(`发改投资〔${year}〕`), date: `${year}-06-30`, ...extra },
});

const bond = (amount: number, issueDate: string, extra: Record<string, unknown> = {}) => ({
  batch: unique('批次'),
  bondCode: unique('BC'),
  amount,
  termYears: 15,
  rate: 2.4,
  issueDate,
  ...extra,
});

/** Posts a release, quota or issuance at the project's version; the raw answer. */
function record(client: ApiClient, project: { id: string; version: number }, kind: 'releases' | 'quotas' | 'issuances', data: Record<string, unknown>) {
  return client.post(`/api/projects/${project.id}/${kind}`, { expectedVersion: project.version, data });
}

async function recorded(client: ApiClient, project: { id: string; version: number }, kind: 'releases' | 'quotas' | 'issuances', data: Record<string, unknown>) {
  const res = await record(client, project, kind, data);
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  expect(res.body.project.version).to.equal(project.version + 1);
  return res.body.project;
}

async function districtQuota(staff: ApiClient, year: number, amount: number) {
  const res = await staff.post('/api/bond-quotas', { year, batch: unique('第一批'), amount, docNo: unique('财预〔'), date: `${year}-03-01` });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.quota;
}

const fundsOf = async (client: ApiClient, orgId: string, query = '') =>
  (await client.get(`/api/stats/funds?from=${Y1}&to=${Y2}&orgId=${orgId}${query}`)).body.items as any[];
const figure = (items: any[], year: number, channel: string) => items.find((i) => i.year === year && i.channel === channel);

describe('money over several years: the core', () => {
  const approvalOf = (amount: number, year: number) => ({ amount, year, docNo: `文${year}`, date: `${year}-06-30` });
  const issuance = (amount: number, issueDate: string, quota?: number) => ({ batch: '一批', bondCode: 'B', amount, termYears: 10, rate: 2, issueDate, ...(quota ? { quota } : {}) });

  it('issues against the quota named, else the oldest with room for the whole amount, and never splits an issuance', () => {
    let record: WorkflowRecord = { ...emptyRecord(), approval: approvalOf(100, Y1) };
    record = { ...record, ...recordFunds(record, 'quota', { year: Y2, amount: 50, docNo: '追加', date: `${Y2}-03-01` }) };
    expect(quotasOf(record).map((q) => [q.no, q.amount])).to.deep.equal([
      [1, 100],
      [2, 50],
    ]);
    record = { ...record, ...recordFunds(record, 'issuance', issuance(80, `${Y1}-08-01`)) };
    // 30 does not fit the 20 left of quota 1: it goes against quota 2, the oldest with room.
    record = { ...record, ...recordFunds(record, 'issuance', issuance(30, `${Y2}-08-01`)) };
    expect(record.issuances.map((i) => [i.amount, i.quota, i.year])).to.deep.equal([
      [80, 1, Y1],
      [30, 2, Y2],
    ]);
    expect(quotaUses(record).map((q) => q.left)).to.deep.equal([20, 20]);
    expect(fundsDataProblems(record, 'issuance', issuance(25, `${Y2}-09-01`))[0]!.message).to.include('没有一笔额度剩余足以发行');
    expect(fundsDataProblems(record, 'issuance', issuance(20, `${Y2}-09-01`, 2))).to.deep.equal([]);
    expect(securedInYear('special_bond', record, Y1)).to.equal(80);
    expect(securedInYear('special_bond', record, Y2)).to.equal(30);
  });

  it('counts each central-budget release in its own year, the approval being the first', () => {
    let record: WorkflowRecord = { ...emptyRecord(), approval: approvalOf(300, Y1) };
    record = { ...record, ...recordFunds(record, 'release', { year: Y2, amount: 200, docNo: '续建', date: `${Y2}-04-01` }) };
    expect(releasesOf(record).map((r) => [r.no, r.year, r.amount])).to.deep.equal([
      [1, Y1, 300],
      [2, Y2, 200],
    ]);
    expect([securedInYear('central_budget', record, Y1), securedInYear('central_budget', record, Y2), securedFunds('central_budget', record)]).to.deep.equal([300, 200, 500]);
    expect(moneyYears('central_budget', record).sort()).to.deep.equal([Y1, Y2]);
  });
});

describe('money over several years', () => {
  let team: Team;

  before(async () => {
    team = await createTeam();
  });

  describe('a project funded in two years', () => {
    let central: any;
    let special: any;
    let quotaY1: any;
    let quotaY2: any;

    before(async () => {
      quotaY1 = await districtQuota(team.staff, Y1, 10_000 * WAN);
      quotaY2 = await districtQuota(team.staff, Y2, 10_000 * WAN);
      const [c, s] = await Promise.all([
        createProject(team.owner, projectBody({ name: unique('续建道路工程'), totalInvestment: 200_000_000, requestedAmount: 60_000_000, funding: { centralBudget: 60_000_000, specialBond: 0, localFiscal: 140_000_000, selfRaised: 0, other: 0 } })),
        createProject(team.owner, specialBondBody(1.5, { name: unique('续建园区厂房') })),
      ]);
      [central, special] = await Promise.all([bringTo(team, c, 'submitted'), bringTo(team, s, 'submitted')]);
    });

    it('counts a central-budget project in both years it received a plan amount, and the drill-down adds up', async () => {
      central = await advance(team.staff, central, 'RECORD_APPROVAL', approval(3_000 * WAN, Y1));
      central = await advance(team.staff, central, 'START_IMPLEMENTATION');
      expect(central.money.mayRecord).to.deep.equal(['release']);
      central = await recorded(team.staff, central, 'releases', { year: Y2, amount: 2_000 * WAN, docNo: `发改投资〔${Y2}〕续建${unique('')}号`, date: `${Y2}-05-10` });

      expect(central.securedAmount).to.equal(5_000 * WAN);
      expect(central.money.releases.map((r: any) => [r.no, r.year, r.amount])).to.deep.equal([
        [1, Y1, 3_000 * WAN],
        [2, Y2, 2_000 * WAN],
      ]);
      expect(central.money.securedByYear).to.deep.equal([
        { year: Y1, amount: 3_000 * WAN },
        { year: Y2, amount: 2_000 * WAN },
      ]);
      const entry = (await historyOf(team.staff, central.id)).at(-1);
      expect(entry).to.include({ event: 'FUNDS_RELEASE', role: 'staff' });
      expect(entry.data).to.include({ no: 2, year: Y2, amount: 2_000 * WAN });

      // Disbursements may now reach both years' plans together.
      central = await advance(team.staff, central, 'RECORD_DISBURSEMENT', { data: { amount: 4_500 * WAN, date: `${Y2}-06-01` } });

      const funds = await fundsOf(team.leader, team.orgId, `&field=${central.field}`);
      expect(figure(funds, Y1, 'central_budget')).to.include({ securedCount: 1, securedAmount: 3_000 * WAN });
      expect(figure(funds, Y2, 'central_budget')).to.include({ securedCount: 1, securedAmount: 2_000 * WAN });
      for (const year of [Y1, Y2]) {
        const drill = (await team.staff.get(`/api/stats/funds/${year}/central_budget/projects?orgId=${team.orgId}&field=${central.field}`)).body;
        const own = figure(funds, year, 'central_budget');
        expect(drill.totals).to.include({ securedCount: own.securedCount, securedAmount: own.securedAmount });
        expect(drill.items.reduce((sum: number, i: any) => sum + i.securedAmount, 0)).to.equal(own.securedAmount);
        expect(drill.items.find((i: any) => i.id === central.id).securedAmount).to.equal(year === Y1 ? 3_000 * WAN : 2_000 * WAN);
      }
    });

    it('counts a special-bond project in each year bonds were issued, against the quota of each year', async () => {
      special = await advance(team.staff, special, 'RECORD_APPROVAL', approval(4_000 * WAN, Y1, { districtQuotaId: quotaY1.id }));
      special = await advance(team.staff, special, 'RECORD_ISSUANCE', { data: bond(4_000 * WAN, `${Y1}-08-01`) });
      special = await advance(team.staff, special, 'START_IMPLEMENTATION');
      expect(special.money.mayRecord).to.deep.equal(['quota', 'issuance']);
      // The first quota is used up: nothing is issued until a further quota comes.
      expectFieldError(await record(team.staff, special, 'issuances', bond(1 * WAN, `${Y2}-03-01`)), 'data.amount', '将超过下达额度');

      special = await recorded(team.staff, special, 'quotas', { year: Y2, amount: 3_000 * WAN, docNo: unique(`财预〔${Y2}〕`), date: `${Y2}-04-01`, districtQuotaId: quotaY2.id });
      special = await recorded(team.staff, special, 'issuances', bond(2_000 * WAN, `${Y2}-07-01`, { quota: 2 }));
      expect(special.stage).to.equal('implementation');
      expect(special.money.quotas.map((q: any) => [q.no, q.year, q.amount, q.issued, q.left])).to.deep.equal([
        [1, Y1, 4_000 * WAN, 4_000 * WAN, 0],
        [2, Y2, 3_000 * WAN, 2_000 * WAN, 1_000 * WAN],
      ]);
      expect(special.issuances.map((i: any) => i.quota)).to.deep.equal([1, 2]);

      // Never over a quota: named, or when no quota has room for the whole amount.
      expectFieldError(await record(team.staff, special, 'issuances', bond(1_500 * WAN, `${Y2}-09-01`, { quota: 2 })), 'data.amount', `第2笔额度（${Y2}年）累计发行 3,500万元 将超过该笔额度 3,000万元`);
      expectFieldError(await record(team.staff, special, 'issuances', bond(1_500 * WAN, `${Y2}-09-01`)), 'data.amount', '没有一笔额度剩余足以发行 1,500万元');
      expectFieldError(await record(team.staff, special, 'issuances', bond(100 * WAN, `${Y2}-09-01`, { quota: 3 })), 'data.quota', '本项目没有第3笔额度');

      const funds = await fundsOf(team.staff, team.orgId, `&field=${special.field}`);
      expect(figure(funds, Y1, 'special_bond')).to.include({ securedCount: 1, securedAmount: 4_000 * WAN });
      expect(figure(funds, Y2, 'special_bond')).to.include({ securedCount: 1, securedAmount: 2_000 * WAN });
      const drill = (await team.staff.get(`/api/stats/funds/${Y2}/special_bond/projects?orgId=${team.orgId}&field=${special.field}`)).body;
      expect(drill.items.map((i: any) => [i.id, i.securedAmount])).to.deep.equal([[special.id, 2_000 * WAN]]);

      // The district quotas show what each project took of them.
      const detail = (await team.leader.get(`/api/bond-quotas/${quotaY2.id}`)).body.quota;
      expect(detail).to.include({ amount: 10_000 * WAN, allocated: 3_000 * WAN, left: 7_000 * WAN });
      expect(detail.allocations.map((a: any) => [a.projectId, a.quotaNo, a.amount])).to.deep.equal([[special.id, 2, 3_000 * WAN]]);
      const listed = (await team.staff.get(`/api/bond-quotas?year=${Y1}`)).body.items.find((q: any) => q.id === quotaY1.id);
      expect(listed).to.include({ allocated: 4_000 * WAN, left: 6_000 * WAN });
    });

    it('prints every year\'s plan release in the application document (申报书), with their sum', async () => {
      const res = await team.staff.get(`/api/projects/${central.id}/application.pdf`);
      expect(res.status).to.equal(200);
      const { text } = await readPdf(res.body as Buffer);
      for (const release of central.money.releases) expect(text).to.include(release.docNo);
      expect(text).to.include('5,000.00');
    });

    it("gives the same figures in the year's paragraph and on the leader's own projects", async () => {
      const leaderId = (await team.leader.get('/api/auth/me')).body.user.id;
      for (const p of [central, special]) {
        const res = await team.staff.put(`/api/projects/${p.id}/responsibility`, { leaderId });
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
      }
      const mine = await fundsOf(team.leader, team.orgId, '&leaderId=me');
      expect(figure(mine, Y1, 'central_budget')).to.include({ securedCount: 1, securedAmount: 3_000 * WAN });
      expect(figure(mine, Y2, 'central_budget')).to.include({ securedCount: 1, securedAmount: 2_000 * WAN });
      expect(figure(mine, Y1, 'special_bond')).to.include({ securedCount: 1, securedAmount: 4_000 * WAN });
      expect(figure(mine, Y2, 'special_bond')).to.include({ securedCount: 1, securedAmount: 2_000 * WAN });
      const summary = (await team.leader.get(`/api/stats/summary?year=${Y2}&leaderId=me`)).body;
      expect(summary.text).to.include('争取到位中央预算内资金项目1个、资金2,000万元；专项债券项目1个、2,000万元。');
    });

    it('refuses with reasons in Chinese: wrong channel, earlier year, a document recorded twice, not staff, a stale version', async () => {
      central = await getProject(team.staff, central.id);
      special = await getProject(team.staff, special.id);
      const release = (extra: Record<string, unknown> = {}) => ({ year: Y2, amount: 100 * WAN, docNo: unique('发改投资'), date: `${Y2}-09-01`, ...extra });
      const wrongChannel = await record(team.staff, special, 'releases', release());
      expectProblem(wrongChannel, 409);
      expect(wrongChannel.body.detail).to.include('只有中央预算内投资项目可以');
      expectProblem(await record(team.staff, central, 'quotas', release()), 409);
      expectFieldError(await record(team.staff, central, 'releases', release({ year: Y1 - 1 })), 'data.year', `年度不能早于首次下达的${Y1}年`);
      expectFieldError(await record(team.staff, central, 'releases', release({ docNo: central.money.releases[1].docNo })), 'data.docNo', '已经记录过');
      expectFieldError(await record(team.staff, central, 'releases', release({ amount: 0 })), 'data.amount');
      expectProblem(await record(team.leader, central, 'releases', release()), 403);
      expectProblem(await record(team.owner, central, 'releases', release()), 403);
      expectProblem(await record(team.otherOwner, central, 'releases', release()), 403);
      expectProblem(await record(team.staff, { ...central, version: central.version - 1 }, 'releases', release()), 409);
      expect((await getProject(team.staff, central.id)).version).to.equal(central.version);
    });
  });

  describe('rebuilt from the history', () => {
    it("finds each project's releases, quotas and issuances in its history entries, and flags one that drifted", async () => {
      const stored = async (id: string) => {
        const project = (await projectStore.find(new Types.ObjectId(id)))!;
        return { ...project, history: await projectHistory(project) };
      };
      const [central, special] = (await team.staff.get(`/api/projects?orgId=${team.orgId}&q=续建&limit=10`)).body.items
        .sort((a: any, b: any) => (a.channel < b.channel ? -1 : 1))
        .map((p: any) => p.id);
      const c = await stored(central);
      const s = await stored(special);
      expect(c.releases).to.have.length(1);
      expect(s.quotas).to.have.length(1);
      expect(projectViolations(c)).to.deep.equal([]);
      expect(projectViolations(s)).to.deep.equal([]);
      // …and so does `npm run check`, which reads the projects and their histories as stored.
      const report = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
      expect(report.violations.filter((v) => v.projectId === central || v.projectId === special)).to.deep.equal([]);
      expect(projectViolations({ ...c, releases: [{ ...c.releases![0]!, amount: c.releases![0]!.amount + 1 }] }).map((v) => v.rule)).to.deep.equal(['money-record']);
      expect(projectViolations({ ...s, issuances: s.issuances!.map((i) => ({ ...i, quota: 1 })) }).map((v) => v.rule)).to.include('money-record');
    });
  });

  describe("the district's bond quota", () => {
    it('is never over-allocated, even when many allocations arrive at once', async () => {
      const quota = await districtQuota(team.staff, Y2, 10_000 * WAN);
      const projects = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const submitted = await bringTo(team, await createProject(team.owner, specialBondBody(1.5, { name: unique('并发额度项目') })), 'submitted');
          return advance(team.staff, submitted, 'RECORD_APPROVAL', approval(500 * WAN, Y2));
        }),
      );
      const answers = await Promise.all(
        projects.map((p) => record(team.staff, p, 'quotas', { year: Y2, amount: 3_000 * WAN, docNo: unique('财预'), date: `${Y2}-10-01`, districtQuotaId: quota.id })),
      );
      const taken = answers.filter((a) => a.status === 201);
      const refused = answers.filter((a) => a.status !== 201);
      expect(taken, JSON.stringify(answers.map((a) => [a.status, a.body.detail]))).to.have.length(3);
      for (const res of refused) expectFieldError(res, 'data.amount', '剩余 1,000万元，不足以分配 3,000万元');
      const detail = (await team.staff.get(`/api/bond-quotas/${quota.id}`)).body.quota;
      expect(detail).to.include({ allocated: 9_000 * WAN, left: 1_000 * WAN });
      expect(detail.allocations).to.have.length(3);

      // Approvals that take from it are held to the same total.
      const [a, b] = await Promise.all(
        Array.from({ length: 2 }, async () => bringTo(team, await createProject(team.owner, specialBondBody(1.5, { name: unique('并发批复项目') })), 'submitted')),
      );
      const approvals = await Promise.all([a, b].map((p) => advance(team.staff, p, 'RECORD_APPROVAL', approval(800 * WAN, Y2, { districtQuotaId: quota.id })).catch((e: Error) => e)));
      expect(approvals.filter((x) => !(x instanceof Error))).to.have.length(1);
      expect((await team.staff.get(`/api/bond-quotas/${quota.id}`)).body.quota).to.include({ allocated: 9_800 * WAN, left: 200 * WAN });
    });

    it('refuses an allocation of another year, an unknown quota, a central-budget approval naming one, and a total below what is allocated', async () => {
      const quota = await districtQuota(team.staff, Y2, 1_000 * WAN);
      const [s, c] = await Promise.all([
        bringTo(team, await createProject(team.owner, specialBondBody(1.5, { name: unique('额度校验项目') })), 'submitted'),
        bringTo(team, await createProject(team.owner, projectBody({ name: unique('中央预算内额度校验') })), 'submitted'),
      ]);
      const special = await advance(team.staff, s, 'RECORD_APPROVAL', approval(600 * WAN, Y2, { districtQuotaId: quota.id }));
      const further = (extra: Record<string, unknown>) => ({ year: Y2, amount: 100 * WAN, docNo: unique('财预'), date: `${Y2}-10-01`, ...extra });
      expectFieldError(await record(team.staff, special, 'quotas', further({ year: Y1, districtQuotaId: quota.id })), 'data.year', `（${Y2}年）一致`);
      expectFieldError(await record(team.staff, special, 'quotas', further({ districtQuotaId: 'no-such-quota' })), 'data.districtQuotaId', '所选地方专项债券额度不存在');
      expectFieldError(await sendEvent(team.staff, c, 'RECORD_APPROVAL', approval(100 * WAN, Y2, { districtQuotaId: quota.id })), 'data.districtQuotaId', '中央预算内投资项目不使用地方专项债券额度');

      expectFieldError(await team.staff.patch(`/api/bond-quotas/${quota.id}`, { amount: 500 * WAN }), 'amount', '不能改为低于已分配的数额');
      const raised = await team.staff.patch(`/api/bond-quotas/${quota.id}`, { amount: 600 * WAN, reason: '省财政厅调减额度' });
      expect(raised.status, JSON.stringify(raised.body)).to.equal(200);
      expect(raised.body.quota).to.include({ amount: 600 * WAN, allocated: 600 * WAN, left: 0 });
      const duplicate = await team.staff.post('/api/bond-quotas', { year: quota.year, batch: quota.batch, amount: 100 * WAN });
      expectProblem(duplicate, 409);
      expectProblem(await team.leader.post('/api/bond-quotas', { year: Y2, batch: unique('批'), amount: 100 * WAN }), 403);
      expectProblem(await team.owner.get('/api/bond-quotas'), 403);
    });
  });
});
