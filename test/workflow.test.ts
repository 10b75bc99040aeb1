import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import {
  acceptAll,
  advance,
  anonymousClient,
  bringTo,
  createProject,
  sharedTeam,
  expectProblem,
  getProject,
  historyOf,
  performanceTargets,
  projectBody,
  requiredDocuments,
  review,
  sampleEventData,
  sendEvent,
  specialBondBody,
  upload,
  type Team,
} from './support/fixtures';
import { repoRoot } from './support/child-server';
import { sha256 } from './support/files';
import type { ApiClient } from './support/client';

import { allEvents, contract, domainStages, eventsFor, reviewStages } from './support/contract';

// ------------------------------------------------------------------ helpers

/** Today in China, the calendar review deadlines count in. */
const chinaToday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
function expectFieldError(res: { status: number; body: any; headers: Headers }, path: string) {
  expectProblem(res, 422);
  expect(res.body.errors?.map((e: any) => e.path), JSON.stringify(res.body)).to.include(path);
}

/** A review stage is due within its 5 working days; no other stage has a due date. */
function expectDeadline(project: any) {
  expect(project.overdue, `overdue in ${project.stage}`).to.equal(false);
  if (!reviewStages.includes(project.stage)) {
    expect(project.dueDate, `due date in ${project.stage}`).to.equal(undefined);
    return;
  }
  expect(project.dueDate).to.match(/^\d{4}-\d{2}-\d{2}$/);
  // Five working days are five to seven calendar days, more across a holiday (春节, 国庆).
  expect(daysBetween(chinaToday(), project.dueDate)).to.be.within(5, 16);
}

function scoresOf(values: number[]) {
  return { scores: performanceTargets.map((t, i) => ({ name: t.name, score: values[i] })) };
}

// ------------------------------------------------------------------ tests

describe('workflows over HTTP', () => {
  let team: Team;
  before(async function () {
    this.timeout(60_000); // creating users hashes their passwords (Argon2id)
    team = await sharedTeam();
  });

  describe('a central_budget project, from draft to evaluation', () => {
    let project: any;
    const refresh = async () => (project = await getProject(team.owner, project.id));
    const act = async (client: ApiClient, type: string, extras = {}) => (project = await advance(client, project, type, extras));

    before(async () => {
      project = await createProject(team.owner, projectBody({ performanceTargets }));
    });

    it('offers the owner SUBMIT and WITHDRAW in draft, staff and leaders nothing', async () => {
      expect((await getProject(team.owner, project.id)).availableEvents).to.deep.equal(['SUBMIT', 'WITHDRAW']);
      expect((await getProject(team.staff, project.id)).availableEvents).to.deep.equal([]);
      expect((await getProject(team.leader, project.id)).availableEvents).to.deep.equal([]);
      expect(project).to.include({ stage: 'draft', version: 1, machineVersion: 'central_budget@2' });
    });

    it('blocks SUBMIT until the proposal is accepted: a rejected version does not count, its replacement does', async () => {
      let res = await sendEvent(team.owner, project, 'SUBMIT');
      expectProblem(res, 422);
      expect(res.body.missing).to.deep.equal(['proposal']);

      const first = await upload(team.owner, project.id, 'proposal', '项目建议书.pdf');
      await refresh();
      res = await sendEvent(team.owner, project, 'SUBMIT');
      expect(res.body.missing, 'a version awaiting review').to.deep.equal(['proposal']);

      await review(team.staff, first.id, 'reject', '缺少投资估算表');
      await refresh();
      res = await sendEvent(team.owner, project, 'SUBMIT');
      expect(res.body.missing, 'a rejected version').to.deep.equal(['proposal']);

      const second = await upload(team.owner, project.id, 'proposal', '项目建议书（补正）.pdf');
      const versions = (await team.owner.get(`/api/projects/${project.id}/documents`)).body.items.filter((d: any) => d.docType === 'proposal');
      expect(versions.map((d: any) => [d.version, d.state])).to.have.deep.members([[1, 'rejected'], [2, 'pending']]);
      const old = await team.owner.get(`/api/documents/${first.id}/content`);
      expect(old.status).to.equal(200);
      expect(sha256(old.body)).to.equal(first.sha256);

      await review(team.staff, second.id, 'accept');
      await refresh();
      await act(team.owner, 'SUBMIT');
      expect(project.stage).to.equal('reserve_review');
    });

    it('gives the review stage a due date in working days, not overdue, and offers staff APPROVE, RETURN, REJECT', async () => {
      expectDeadline(project);
      expect(project.review).to.include({ limitWorkingDays: 5, dueDate: project.dueDate });
      expect((await getProject(team.staff, project.id)).availableEvents).to.deep.equal(['APPROVE', 'RETURN', 'REJECT']);
      expect((await getProject(team.owner, project.id)).availableEvents).to.deep.equal([]);
      expect((await getProject(team.leader, project.id)).availableEvents).to.deep.equal([]);
    });

    it('refuses a RETURN without a reason (422 on "reason"), returns with one, and takes the resubmission', async () => {
      expectFieldError(await sendEvent(team.staff, project, 'RETURN'), 'reason');
      expectFieldError(await sendEvent(team.staff, project, 'RETURN', { reason: '   ' }), 'reason');
      await act(team.staff, 'RETURN', { reason: '请补充项目选址说明' });
      expect(project.stage).to.equal('draft');
      expect(project.dueDate).to.equal(undefined);
      await act(team.owner, 'SUBMIT');
      expect(project.stage).to.equal('reserve_review');
    });

    it('enters the reserve; SUBMIT from preliminary names the missing documents until all four are accepted', async () => {
      await act(team.staff, 'APPROVE');
      expect(project.stage).to.equal('reserve');
      expect((await getProject(team.owner, project.id)).availableEvents).to.deep.equal(['START_PRELIMINARY']);
      expect((await getProject(team.staff, project.id)).availableEvents).to.deep.equal(['START_PRELIMINARY', 'REMOVE']);
      await act(team.owner, 'START_PRELIMINARY');

      let res = await sendEvent(team.owner, project, 'SUBMIT');
      expectProblem(res, 422);
      expect(res.body.missing).to.have.members(['approval_doc', 'land_use', 'eia', 'fund_application_report']);
      await acceptAll(team.owner, team.staff, project.id, ['approval_doc', 'land_use', 'eia']);
      await refresh();
      res = await sendEvent(team.owner, project, 'SUBMIT');
      expect(res.body.missing).to.deep.equal(['fund_application_report']);
      await acceptAll(team.owner, team.staff, project.id, ['fund_application_report']);
      await refresh();
      await act(team.owner, 'SUBMIT');
      expect(project.stage).to.equal('application_review');
      expectDeadline(project);
    });

    it('returns from application review to preliminary work, then forwards upward as round 1', async () => {
      expectFieldError(await sendEvent(team.staff, project, 'RETURN'), 'reason');
      await act(team.staff, 'RETURN', { reason: '资金申请报告需补充绩效目标' });
      expect(project.stage).to.equal('preliminary');
      await act(team.owner, 'SUBMIT');
      await act(team.staff, 'APPROVE');
      expect(project.stage).to.equal('submitted');
      expect(project.applications).to.have.length(1);
      expect(project.applications[0]).to.include({ round: 1, requestedAmount: 40_000_000, year: Number(chinaToday().slice(0, 4)), date: chinaToday() });
    });

    it('takes a RECORD_REJECTION (reason required) back to the reserve, and a second round forwards again', async () => {
      expectFieldError(await sendEvent(team.staff, project, 'RECORD_REJECTION'), 'reason');
      await act(team.staff, 'RECORD_REJECTION', { reason: '本年度中央预算内投资计划未安排' });
      expect(project.stage).to.equal('reserve');
      expect(project.applications).to.have.length(1);

      await act(team.staff, 'START_PRELIMINARY');
      await act(team.owner, 'SUBMIT');
      await act(team.staff, 'APPROVE');
      expect(project.stage).to.equal('submitted');
      expect(project.applications.map((a: any) => a.round)).to.deep.equal([1, 2]);

      const forwards = (await historyOf(team.owner, project.id)).filter((h) => h.event === 'APPROVE' && h.from === 'application_review');
      expect(forwards).to.have.length(2);
    });

    it('records the released plan; bad decision data is 422 and a bond issuance is no event of this channel (409)', async () => {
      expectFieldError(await sendEvent(team.staff, project, 'RECORD_APPROVAL', { data: { amount: 30_000_000, year: 2026, date: '2026-06-01' } }), 'data.docNo');
      expectFieldError(await sendEvent(team.staff, project, 'RECORD_APPROVAL', { data: { amount: 300.5, year: 2026, docNo: '发改投资〔2026〕12号', date: '2026-06-01' } }), 'data.amount');
      expectFieldError(await sendEvent(team.staff, project, 'RECORD_APPROVAL', { data: { amount: 30_000_000, year: 2026, docNo: '发改投资〔2026〕12号', date: '2026年6月1日' } }), 'data.date');
      const approval = { amount: 30_000_000, year: 2026, docNo: '发改投资〔2026〕12号', date: '2026-06-01' };
      await act(team.staff, 'RECORD_APPROVAL', { data: approval });
      expect(project).to.deep.include({ stage: 'approved', approval, securedAmount: 30_000_000 });
      expect((await getProject(team.staff, project.id)).availableEvents).to.deep.equal(['START_IMPLEMENTATION']);
      expectProblem(await sendEvent(team.staff, project, 'RECORD_ISSUANCE', { data: sampleEventData('RECORD_ISSUANCE', project) }), 409);
    });

    it('never disburses more than the plan released, and records progress', async () => {
      await act(team.staff, 'START_IMPLEMENTATION');
      await act(team.staff, 'RECORD_DISBURSEMENT', { data: { amount: 12_000_000, date: '2026-07-01' } });
      await act(team.staff, 'RECORD_DISBURSEMENT', { data: { amount: 18_000_000, date: '2026-09-01' } });
      expect(project.disbursedAmount).to.equal(30_000_000);
      const over = await sendEvent(team.staff, project, 'RECORD_DISBURSEMENT', { data: { amount: 1, date: '2026-09-02' } });
      expectFieldError(over, 'data.amount');
      expect((await getProject(team.staff, project.id)).disbursements).to.have.length(2);

      await act(team.staff, 'RECORD_PROGRESS', { data: { percent: 65, note: '主管网铺设完成 8 公里' } });
      expect(project.stage).to.equal('implementation');
      expect(project.progress).to.deep.equal([{ percent: 65, note: '主管网铺设完成 8 公里', date: chinaToday() }]);
    });

    it('completes, refuses an evaluation that leaves an indicator unscored, and grades 89.9 as 良', async () => {
      await act(team.staff, 'COMPLETE', { data: { date: '2026-12-20' } });
      expect(project).to.deep.include({ stage: 'completed', completion: { date: '2026-12-20' } });
      const partial = { scores: [{ name: '新建管网长度', score: 95 }, { name: '群众满意度', score: 90 }] };
      const refused = await sendEvent(team.staff, project, 'EVALUATE', { data: partial });
      expectFieldError(refused, 'data.scores');
      expect(refused.body.detail).to.include('污水收集率');

      await act(team.staff, 'EVALUATE', { data: scoresOf([90, 90, 89.5]) });
      expect(project.stage).to.equal('evaluated');
      expect(project.evaluation).to.include({ total: 89.9, grade: '良' });
      expect(project.availableEvents).to.deep.equal([]);
    });

    it('keeps the whole life in the history, oldest first, one entry per change and none for refusals', async () => {
      const history = await historyOf(team.leader, project.id);
      expect(history).to.have.length(project.version);
      const transitions = history.filter((h) => !h.event.startsWith('DOCUMENT_')).map((h) => `${h.event} ${h.from ?? ''}>${h.to}`);
      expect(transitions).to.deep.equal([
        'CREATE >draft',
        'SUBMIT draft>reserve_review',
        'RETURN reserve_review>draft',
        'SUBMIT draft>reserve_review',
        'APPROVE reserve_review>reserve',
        'START_PRELIMINARY reserve>preliminary',
        'SUBMIT preliminary>application_review',
        'RETURN application_review>preliminary',
        'SUBMIT preliminary>application_review',
        'APPROVE application_review>submitted',
        'RECORD_REJECTION submitted>reserve',
        'START_PRELIMINARY reserve>preliminary',
        'SUBMIT preliminary>application_review',
        'APPROVE application_review>submitted',
        'RECORD_APPROVAL submitted>approved',
        'START_IMPLEMENTATION approved>implementation',
        'RECORD_DISBURSEMENT implementation>implementation',
        'RECORD_DISBURSEMENT implementation>implementation',
        'RECORD_PROGRESS implementation>implementation',
        'COMPLETE implementation>completed',
        'EVALUATE completed>evaluated',
      ]);
      const rejection = history.find((h) => h.event === 'RECORD_REJECTION');
      expect(rejection).to.include({ role: 'staff', reason: '本年度中央预算内投资计划未安排' });
      expect(history.find((h) => h.event === 'RECORD_APPROVAL').data).to.include({ docNo: '发改投资〔2026〕12号' });
      const times = history.map((h) => Date.parse(h.at));
      expect(times).to.deep.equal([...times].sort((a, b) => a - b));
    });
  });

  describe('a special_bond project, from draft to evaluation', () => {
    let project: any;
    const refresh = async () => (project = await getProject(team.owner, project.id));
    const act = async (client: ApiClient, type: string, extras = {}) => (project = await advance(client, project, type, extras));
    const issuance = (batch: number, amount: number) => ({
      batch: `2026年第${batch}批`,
      bondCode: `26050${batch}`,
      amount,
      termYears: 20,
      rate: 2.4,
      issueDate: `2026-${String(6 + batch).padStart(2, '0')}-15`,
    });

    before(async () => {
      project = await createProject(team.owner, specialBondBody(1.05, { performanceTargets }));
    });

    it('shows the coverage ratio, and refuses SUBMIT from preliminary below 1.1 (422 on "financing") until it is fixed', async () => {
      await refresh();
      expect(project.coverage).to.deep.equal({ ratio: 1.05, threshold: 1.1, reached: false });
      project = await bringTo(team, project, 'preliminary');
      expect((await getProject(team.owner, project.id)).availableEvents).to.deep.equal(['SUBMIT', 'WITHDRAW']);

      let res = await sendEvent(team.owner, project, 'SUBMIT');
      expectProblem(res, 422);
      expect(res.body.missing).to.have.members([...requiredDocuments.special_bond.preliminary]);
      await acceptAll(team.owner, team.staff, project.id, requiredDocuments.special_bond.preliminary);
      await refresh();
      res = await sendEvent(team.owner, project, 'SUBMIT');
      expectFieldError(res, 'financing');
      expect((await refresh()).stage).to.equal('preliminary');

      // Exactly the threshold is enough ("at or above").
      const patched = await team.owner.patch(`/api/projects/${project.id}`, {
        expectedVersion: project.version,
        financing: { projectedRevenue: 110_000_000, debtService: 100_000_000 },
      });
      expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
      await refresh();
      expect(project.coverage).to.deep.equal({ ratio: 1.1, threshold: 1.1, reached: true });
      await act(team.owner, 'SUBMIT');
      await act(team.staff, 'APPROVE');
      expect(project.stage).to.equal('submitted');
    });

    it('records the quota as approved; nothing is secured until bonds are issued', async () => {
      await act(team.staff, 'RECORD_APPROVAL', { data: { amount: 50_000_000, year: 2026, docNo: '财预〔2026〕35号', date: '2026-05-20' } });
      expect(project).to.include({ stage: 'approved', securedAmount: 0 });
      expect((await getProject(team.staff, project.id)).availableEvents).to.deep.equal(['RECORD_ISSUANCE']);
      expectProblem(await sendEvent(team.staff, project, 'START_IMPLEMENTATION'), 409);
    });

    it('issues three batches up to exactly the quota and refuses a fourth over it with 422, naming the sum', async () => {
      await act(team.staff, 'RECORD_ISSUANCE', { data: issuance(1, 20_000_000) });
      expect(project.stage).to.equal('issued');
      expect((await getProject(team.staff, project.id)).availableEvents).to.deep.equal(['RECORD_ISSUANCE', 'START_IMPLEMENTATION']);
      await act(team.staff, 'RECORD_ISSUANCE', { data: issuance(2, 20_000_000) });
      await act(team.staff, 'RECORD_ISSUANCE', { data: issuance(3, 10_000_000) });
      expect(project.issuances.map((i: any) => i.amount)).to.deep.equal([20_000_000, 20_000_000, 10_000_000]);
      expect(project.securedAmount).to.equal(50_000_000);

      const over = await sendEvent(team.staff, project, 'RECORD_ISSUANCE', { data: issuance(4, 1) });
      expectFieldError(over, 'data.amount');
      // Amounts in 万元 as users read them (issue "What people stumble over in the browser", point 2), not raw yuan.
      expect(over.body.detail).to.include('5,000.0001万元').and.include('5,000万元');
      const after = await getProject(team.staff, project.id);
      expect(after).to.include({ version: project.version, securedAmount: 50_000_000 });
      expect(after.issuances).to.have.length(3);
      expectFieldError(await sendEvent(team.staff, project, 'RECORD_ISSUANCE', { data: { ...issuance(4, 1_000), termYears: 0 } }), 'data.termYears');
    });

    it('never disburses more than what was issued; records progress (0–100 %) and completion', async () => {
      await act(team.staff, 'START_IMPLEMENTATION');
      await act(team.staff, 'RECORD_DISBURSEMENT', { data: { amount: 30_000_000, date: '2026-10-10' } });
      expectFieldError(await sendEvent(team.staff, project, 'RECORD_DISBURSEMENT', { data: { amount: 20_000_001, date: '2026-11-10' } }), 'data.amount');
      await act(team.staff, 'RECORD_DISBURSEMENT', { data: { amount: 20_000_000, date: '2026-11-10' } });
      expect(project).to.include({ disbursedAmount: 50_000_000, securedAmount: 50_000_000 });
      expect(project.disbursements).to.have.length(2);

      expectFieldError(await sendEvent(team.staff, project, 'RECORD_PROGRESS', { data: { percent: 120, note: '超额完成' } }), 'data.percent');
      await act(team.staff, 'RECORD_PROGRESS', { data: { percent: 80, note: '厂房主体结构封顶' } });
      expect(project.progress.map((p: any) => p.percent)).to.deep.equal([80]);
      await act(team.staff, 'COMPLETE', { data: { date: '2027-03-31' } });
      expect(project.stage).to.equal('completed');
    });

    it('refuses unknown or missing indicators, and grades a weighted 90.0 as 优', async () => {
      const unknown = { scores: [...scoresOf([96, 84, 84]).scores, { name: '不存在的指标', score: 100 }] };
      expectFieldError(await sendEvent(team.staff, project, 'EVALUATE', { data: unknown }), 'data.scores');
      expectFieldError(await sendEvent(team.staff, project, 'EVALUATE', { data: { scores: scoresOf([96, 84, 84]).scores.slice(1) } }), 'data.scores');
      expectFieldError(await sendEvent(team.staff, project, 'EVALUATE', { data: scoresOf([96, 84, 101]) }), 'data.scores.2.score');

      await act(team.staff, 'EVALUATE', { data: scoresOf([96, 84, 84]) });
      expect(project.stage).to.equal('evaluated');
      expect(project.evaluation).to.include({ total: 90, grade: '优' });
      expect(project.evaluation.scores.map((s: any) => [s.name, s.weight, s.score])).to.deep.equal([
        ['新建管网长度', 50, 96],
        ['污水收集率', 30, 84],
        ['群众满意度', 20, 84],
      ]);
    });

    it('keeps each issuance in the history with its data', async () => {
      const history = await historyOf(team.owner, project.id);
      expect(history).to.have.length(project.version);
      const issued = history.filter((h) => h.event === 'RECORD_ISSUANCE');
      expect(issued.map((h) => [h.from, h.to, h.data.bondCode])).to.deep.equal([
        ['approved', 'issued', '260501'],
        ['issued', 'issued', '260502'],
        ['issued', 'issued', '260503'],
      ]);
    });
  });

  describe('each stage accepts only its own events, from its own roles', () => {
    /** The refusals of one stage: 409 for events it does not accept, 403 for the wrong role, 404 for another organisation. */
    async function checkStage(channel: keyof typeof contract, project: any) {
      const stage: string = project.stage;
      const accepted = contract[channel][stage]!;
      const where = `${channel} in ${stage}`;

      const extras = (type: string) => ({
        reason: '测试理由',
        data: type === 'EVALUATE' ? scoresOf([80, 80, 80]) : sampleEventData(type, project),
      });
      const senderOf = (type: string) => (['SUBMIT', 'WITHDRAW', 'START_PRELIMINARY'].includes(type) ? team.owner : team.staff);
      const attempts: [string, string, ApiClient, number][] = [
        ...allEvents.filter((type) => !(type in accepted)).map((type): [string, string, ApiClient, number] => [type, 'its usual sender', senderOf(type), 409]),
        ...Object.entries(accepted).flatMap(([type, { by }]): [string, string, ApiClient, number][] => {
          if (by === 'owner') return [[type, 'staff', team.staff, 403]];
          if (by === 'staff') return [[type, 'owner', team.owner, 403]];
          return [];
        }),
        // Leaders and administrators never send events; other organisations do not even see the project.
        ...[Object.keys(accepted)[0] ?? 'SUBMIT'].flatMap((type): [string, string, ApiClient, number][] => [
          [type, 'leader', team.leader, 403],
          [type, 'admin', team.administrator, 403],
          [type, 'another organisation\'s owner', team.otherOwner, 404],
        ]),
      ];
      const viewers: [ApiClient, string][] = [[team.owner, 'owner'], [team.staff, 'staff'], [team.leader, 'leader'], [team.administrator, 'admin']];
      // All at once: none of it may change the project, so the order does not matter.
      const [views, hidden, answers] = await Promise.all([
        Promise.all(viewers.map(([client]) => getProject(client, project.id))),
        team.otherOwner.get(`/api/projects/${project.id}`),
        Promise.all(attempts.map(([type, , client]) => sendEvent(client, project, type, extras(type)))),
      ]);
      views.forEach((seen, i) => {
        const [, role] = viewers[i]!;
        expect(seen.availableEvents, `${role}'s events, ${where}`).to.have.members(eventsFor(accepted, role));
        expectDeadline(seen);
      });
      expectProblem(hidden, 404);
      answers.forEach((res, i) => {
        const [type, who, , status] = attempts[i]!;
        expect(res.status, `${type} by ${who}, ${where}: ${JSON.stringify(res.body)}`).to.equal(status);
        expectProblem(res, status);
      });

      const [after, history] = await Promise.all([getProject(team.staff, project.id), historyOf(team.staff, project.id)]);
      expect(after, `${where} after the refusals`).to.include({ stage, version: project.version });
      expect(history).to.have.length(project.version);
    }

    for (const channel of ['central_budget', 'special_bond'] as const) {
      it(`${channel}: at every stage of the main path, to evaluation (grading 60.0 as 中 or 59.9 as 差)`, async function () {
        this.timeout(120_000);
        const body = channel === 'special_bond' ? specialBondBody(1.5, { performanceTargets }) : projectBody({ performanceTargets });
        let project = await createProject(team.owner, body);
        const mainPath = domainStages[channel].slice(0, domainStages[channel].indexOf('evaluated'));
        for (const stage of mainPath) {
          project = await bringTo(team, project, stage);
          await checkStage(channel, project);
        }
        const [scores, total, grade] = channel === 'central_budget' ? [[60, 60, 60], 60, '中'] : [[60, 60, 59.5], 59.9, '差'];
        project = await advance(team.staff, project, 'EVALUATE', { data: scoresOf(scores as number[]) });
        expect(project.evaluation).to.include({ total, grade });
        await checkStage(channel, project);
      });

      it(`${channel}: in the final stages rejected, removed and withdrawn`, async function () {
        this.timeout(60_000);
        const body = () => (channel === 'special_bond' ? specialBondBody() : projectBody());
        for (const stage of ['rejected', 'removed', 'withdrawn']) {
          const project = await bringTo(team, await createProject(team.owner, body()), stage);
          expect(project.stage).to.equal(stage);
          await checkStage(channel, project);
          const last = (await historyOf(team.owner, project.id)).at(-1);
          if (stage !== 'withdrawn') expect(last.reason, stage).to.be.a('string').and.not.equal('');
        }
      });
    }

    it('refuses REJECT and REMOVE without a reason (422 on "reason")', async () => {
      const inReview = await bringTo(team, await createProject(team.owner), 'reserve_review');
      expectFieldError(await sendEvent(team.staff, inReview, 'REJECT'), 'reason');
      const inReserve = await bringTo(team, inReview, 'reserve');
      expectFieldError(await sendEvent(team.staff, inReserve, 'REMOVE', { reason: '' }), 'reason');
      expect((await getProject(team.staff, inReserve.id)).stage).to.equal('reserve');
    });

    it('refuses a stale or future expectedVersion with 409 and changes nothing', async () => {
      const project = await createProject(team.owner);
      await acceptAll(team.owner, team.staff, project.id, ['proposal']);
      const current = await getProject(team.owner, project.id);
      for (const expectedVersion of [current.version - 1, 1, current.version + 1]) {
        const res = await sendEvent(team.owner, current, 'SUBMIT', { expectedVersion });
        expectProblem(res, 409);
      }
      expect(await getProject(team.owner, project.id)).to.include({ stage: 'draft', version: current.version });
      expect((await advance(team.owner, current, 'SUBMIT')).stage).to.equal('reserve_review');
    });

    it('refuses an unknown event type (409 or 422) and an event without expectedVersion (422)', async () => {
      const project = await createProject(team.owner);
      const unknown = await sendEvent(team.owner, project, 'LAUNCH_ROCKET');
      expect(unknown.status).to.be.oneOf([409, 422]);
      expectFieldError(await team.owner.post(`/api/projects/${project.id}/events`, { type: 'WITHDRAW' }), 'expectedVersion');
      expect(await getProject(team.owner, project.id)).to.include({ stage: 'draft', version: 1 });
    });
  });

  describe('GET /api/workflows', () => {
    let items: any[];
    before(async () => {
      const res = await team.leader.get('/api/workflows');
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      items = res.body.items;
    });

    it('is for logged-in users only', async () => {
      expectProblem(await anonymousClient().get('/api/workflows'), 401);
    });

    it('describes both channels with exactly the stages of docs/domain.md', () => {
      expect(items.map((w) => w.channel)).to.have.members(['central_budget', 'special_bond']);
      for (const workflow of items) {
        const channel = workflow.channel as keyof typeof domainStages;
        expect(workflow.stages.map((s: any) => s.key), channel).to.deep.equal(domainStages[channel]);
        const finals = workflow.stages.filter((s: any) => s.final).map((s: any) => s.key);
        expect(finals, channel).to.have.members(['evaluated', 'rejected', 'removed', 'withdrawn']);
        for (const stage of reviewStages) expect(workflow.stages.find((s: any) => s.key === stage).reviewTimeLimitWorkingDays).to.equal(5);
      }
    });

    it('lists every transition of the contract, each with its guards, and nothing more', () => {
      for (const workflow of items) {
        const channel = workflow.channel as keyof typeof contract;
        const expected = Object.entries(contract[channel]).flatMap(([from, events]) =>
          Object.entries(events).map(([event, { to }]) => `${from} --> ${to} : ${event}`),
        );
        const listed = workflow.transitions.map((t: any) => `${t.from} --> ${t.to} : ${t.event}`);
        expect(listed, channel).to.have.members(expected);
        for (const t of workflow.transitions) expect(t.guards, `${channel} ${t.from} ${t.event}`).to.be.an('array').with.length.above(0);
        const submit = workflow.transitions.find((t: any) => t.from === 'preliminary' && t.event === 'SUBMIT');
        expect(submit.guards.join(' '), channel).to.match(channel === 'special_bond' ? /coverage/i : /^(?!.*coverage)/i);
      }
    });

    it('draws a Mermaid diagram from the machine that shows every stage and every transition', () => {
      for (const workflow of items) {
        const channel = workflow.channel as keyof typeof contract;
        expect(workflow.diagram.format).to.equal('mermaid');
        const source: string = workflow.diagram.source;
        expect(source).to.match(/^stateDiagram(-v2)?\n/);
        const lines = source.split('\n').map((l) => l.trim());
        expect(lines).to.include('[*] --> draft');
        for (const [from, events] of Object.entries(contract[channel])) {
          for (const [event, { to }] of Object.entries(events)) expect(lines, channel).to.include(`${from} --> ${to} : ${event}`);
        }
        expect(lines).to.include('submitted --> reserve : RECORD_REJECTION');
        expect(source.includes('issued'), channel).to.equal(channel === 'special_bond');
      }
    });

    it('gives the required and optional documents of workflows/rules.yaml', async () => {
      const rules = parse(await readFile(path.join(repoRoot, 'workflows', 'rules.yaml'), 'utf8'));
      for (const workflow of items) {
        expect(workflow.requiredDocuments, workflow.channel).to.deep.equal(rules.requiredDocuments[workflow.channel]);
        expect(workflow.optionalDocuments, workflow.channel).to.deep.equal(rules.optionalDocuments);
      }
      const bond = items.find((w) => w.channel === 'special_bond');
      expect(bond.coverageThreshold).to.equal(rules.coverageThreshold);
    });

    it('gives the ready-made return reasons (常用退回理由) of workflows/rules.yaml', async () => {
      const rules = parse(await readFile(path.join(repoRoot, 'workflows', 'rules.yaml'), 'utf8'));
      expect(rules.returnReasons.project.length).to.be.above(0);
      for (const workflow of items) expect(workflow.returnReasons, workflow.channel).to.deep.equal(rules.returnReasons);
    });
  });

  describe('the reviewer\'s opinion (审核意见)', () => {
    it('keeps an opinion given with APPROVE in the history, and takes APPROVE without one', async () => {
      const withOpinion = await bringTo(team, await createProject(team.owner), 'reserve_review');
      await advance(team.staff, withOpinion, 'APPROVE', { reason: '  材料齐全，同意入库  ' });
      expect((await historyOf(team.owner, withOpinion.id)).at(-1)).to.include({ event: 'APPROVE', reason: '材料齐全，同意入库' });
      const without = await bringTo(team, await createProject(team.owner), 'reserve_review');
      await advance(team.staff, without, 'APPROVE');
      expect((await historyOf(team.owner, without.id)).at(-1)).to.include({ event: 'APPROVE' }).and.not.have.property('reason');
    });
  });
});
