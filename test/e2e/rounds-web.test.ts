import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { ensureWebBuild } from '../../scripts/ensure-web-build';
import { chinaDay } from '../../workflows/working-days';
import { adminClient, advance, bringTo, createOrganisation, createProject, projectBody, signedInUser, unique, type TestUser } from '../support/fixtures';
import { service } from '../support/hooks';
import { BrowserUser } from './support/browser';
import { launchChromium } from './support/chromium';
import { downloadWorkbook } from './support/pages';

/**
 * 申报批次 in a real browser: staff open a round with a ceiling, pick two
 * projects from the reserve into its plan draft, are refused (with the
 * reason) an amount that takes the draft over the ceiling, and take the
 * draft away as Excel with the columns the higher level asks for; a leader
 * sees the year's funds split by round and the projects behind a round's figure.
 */
describe('application rounds in a real browser', function () {
  this.timeout(180_000);

  let browser: Browser;
  let baseUrl: string;
  const opened: BrowserUser[] = [];
  const people = {} as Record<'owner' | 'staff' | 'leader', TestUser>;
  const projects: { id: string; name: string }[] = [];
  const roundName = unique('2026年第二批中央预算内投资');
  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

  before(async function () {
    this.timeout(15 * 60_000); // a fresh machine installs Chromium and builds the web app first
    ensureWebBuild((line) => console.log(`  ${line}`));
    browser = await launchChromium();
    baseUrl = service().url;
    const admin = await adminClient();
    const orgId = await createOrganisation(admin);
    Object.assign(people, { owner: await signedInUser(admin, 'owner', orgId), staff: await signedInUser(admin, 'staff'), leader: await signedInUser(admin, 'leader') });
    const team = { owner: people.owner.client, staff: people.staff.client };
    for (const name of ['城东污水管网改造工程', '城西供水管网改造工程']) {
      const project = await bringTo(team, await createProject(team.owner, projectBody({ name: unique(name), description: `${name}，新建管网8公里` })), 'reserve');
      projects.push({ id: project.id, name: project.name });
    }
  });

  afterEach(function () {
    for (const user of opened) {
      expect(user.errors, `${this.currentTest?.title}: console errors`).to.deep.equal([]);
    }
  });

  after(async () => {
    await browser?.close();
  });

  it('takes a round from opening to its Excel draft, refusing a draft over its ceiling with the reason', async () => {
    const staff = await BrowserUser.open(browser, baseUrl);
    opened.push(staff);
    staff.expectFailedRequests(422); // the draft over its ceiling
    await staff.signInAt('/queue', people.staff.username, people.staff.password);
    await staff.page.locator('.el-menu-item', { hasText: '申报批次' }).click();
    await staff.page.waitForURL('**/rounds');

    await staff.byTest('round-new').click();
    const form = staff.byTest('round-form');
    await form.locator('input[name=name]').fill(roundName);
    await form.locator('input[name=deadline]').fill(`${year}-12-31`);
    await form.locator('input[name=deadline]').press('Enter');
    await form.locator('input[name=ceiling]').fill('5000');
    await staff.byTest('round-open').click();
    await staff.page.waitForURL(/\/rounds\/[0-9a-f]{24}$/);
    await staff.waitForText(staff.byTest('round-name'), roundName);
    await staff.waitForText(staff.byTest('draft-total'), '0 个项目');

    const [first, second] = projects as [{ id: string; name: string }, { id: string; name: string }];
    const candidate = (id: string) => staff.page.locator(`[data-test=candidate][data-project-id="${id}"]`);
    await candidate(first.id).locator('input[name=amount]').fill('3000');
    await candidate(first.id).locator('[data-test=candidate-add]').click();
    await staff.waitForText(staff.byTest('draft-total'), '1 个项目');
    await staff.waitForText(staff.byTest('draft-total'), '3,000.00 万元');

    // Over the ceiling: refused, with the reason, and nothing saved.
    await candidate(second.id).locator('input[name=amount]').fill('2500');
    await candidate(second.id).locator('[data-test=candidate-add]').click();
    await staff.waitForText(staff.byTest('draft-error'), '计划草案合计 5,500万元，超过上级下达的控制额度 5,000万元，未保存');
    await staff.waitForText(staff.byTest('draft-total'), '1 个项目');
    await candidate(second.id).locator('input[name=amount]').fill('2000');
    await candidate(second.id).locator('[data-test=candidate-add]').click();
    await staff.waitForText(staff.byTest('draft-total'), '2 个项目');
    await staff.waitForText(staff.byTest('draft-total'), '5,000.00 万元');
    await staff.waitForText(staff.byTest('draft-lines'), second.name);
    // Each line shows the amount saved for it, and takes a new one.
    const line = (id: string) => staff.page.locator(`[data-test=draft-line][data-project-id="${id}"]`);
    expect(await line(first.id).locator('input[name=amount]').inputValue()).to.equal('3000');
    expect(await line(second.id).locator('input[name=amount]').inputValue()).to.equal('2000');
    await line(first.id).locator('input[name=amount]').fill('2800');
    await line(first.id).getByRole('button', { name: '保存' }).click();
    await staff.waitForText(staff.byTest('draft-total'), '4,800.00 万元');
    // Nothing of the preliminary dossier is in: both are flagged before the deadline.
    await staff.waitForText(staff.byTest('round-not-ready'), '截止前尚未准备就绪的项目 2 个');
    await staff.screenshot('round-draft');

    const book = await downloadWorkbook(staff, () => staff.byTest('draft-export').click());
    expect(book.name).to.equal(`${roundName}-计划草案.xlsx`);
    expect(book.headers).to.deep.equal(['序号', '项目代码', '项目名称', '项目单位', '建设地点', '领域', '建设内容', '总投资（万元）', '累计到位资金（万元）', '本次申请金额（万元）', '一件三证', '联系人及电话']);
    const lines = book.rows.filter((row) => typeof row['序号'] === 'number');
    expect(lines.map((row) => [row['项目名称'], row['本次申请金额（万元）']])).to.have.deep.members([
      [first.name, 2800],
      [second.name, 2000],
    ]);
    expect(lines.every((row) => String(row['建设内容']).includes('新建管网8公里'))).to.equal(true);

    // The rolling plan is one click away.
    await staff.page.locator('.el-menu-item', { hasText: '申报批次' }).click();
    await staff.waitForText(staff.byTest('round-list'), roundName);
    await staff.screenshot('rounds');
    await staff.page.getByRole('button', { name: '三年滚动计划' }).click();
    await staff.page.waitForURL('**/rolling-plan');
    await staff.waitForText(staff.page.locator('[data-test=rolling-year]').first(), `${year}年`);
    await staff.screenshot('rolling-plan');
  });

  it("splits a leader's funds figures by round on the dashboard, each round's figure opening its projects", async () => {
    const team = { owner: people.owner.client, staff: people.staff.client };
    const answer = await team.staff.post('/api/rounds', { channel: 'central_budget', year, name: unique(`${year}年第一批中央预算内投资`), deadline: `${year}-12-31` });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    const round = answer.body.round as { id: string; name: string };
    const project = await bringTo(team, await createProject(team.owner, projectBody({ name: unique('城南雨污分流改造工程') })), 'reserve');
    expect((await team.staff.put(`/api/rounds/${round.id}/projects/${project.id}`, { amount: 12_345_600 })).status).to.equal(200);
    const submitted = await bringTo(team, (await team.staff.get(`/api/projects/${project.id}`)).body.project, 'submitted');
    await advance(team.staff, submitted, 'RECORD_APPROVAL', { data: { amount: 30_000_000, year, docNo: `发改投资〔${year}〕61号`, date: chinaDay(new Date()) } });
    await bringTo(team, await createProject(team.owner, projectBody()), 'submitted'); // went up outside any round

    const leader = await BrowserUser.open(browser, baseUrl);
    opened.push(leader);
    await leader.signInAt('/dashboard', people.leader.username, people.leader.password);
    const byRound = leader.byTest('funds-by-round');
    await leader.waitForText(byRound, round.name);
    await leader.waitForText(byRound, '未编入批次');
    await leader.waitForText(leader.byTest(`applied-${round.id}-central_budget`), '1,234.56 万元');
    await leader.waitForText(leader.byTest(`secured-${round.id}-central_budget`), '3,000.00 万元');
    await leader.screenshot('funds-by-round');

    await leader.byTest(`applied-${round.id}-central_budget`).click();
    const drill = leader.byTest('drill');
    await leader.waitForText(drill, `${round.name} 申报项目`);
    await leader.waitForText(drill, project.name);
    await leader.waitForText(drill, '合计 1,234.56 万元');
  });
});
