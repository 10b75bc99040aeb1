import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { ensureWebBuild } from '../../scripts/ensure-web-build';
import { scannedPagePng } from '../../src/demo/sample-files';
import { sendMonthlyReport } from '../../src/schedule/schedule.service';
import type { CurrentUser } from '../../src/shared/current-user';
import { percentText } from '../../workflows/units';
import type { ApiClient } from '../support/client';
import { adminClient, bringTo, createOrganisation, createProject, getProject, projectBody, signedInUser, unique, type TestUser } from '../support/fixtures';
import { service } from '../support/hooks';
import { BrowserUser, PHONE } from './support/browser';
import { launchChromium } from './support/chromium';

/**
 * The monthly scheduling screens in a real browser: a unit's 月报 with running
 * totals worked out as it is typed, a correction with its reason, the home
 * page's reminder and the late/missing badge; staff's view of who has reported
 * for a month; year plans entered in a table and imported from Excel (a sheet
 * with a bad row refused with its errors and nothing saved, then a sound one);
 * the leader's scheduling figures and their drill-downs against the API.
 *
 * The fixtures live four and five years back, a year no other test plans in
 * (schedule.test.ts uses two years back, the exports three), so every report
 * of them is long due; only the reminder looks at the month being collected now.
 */
const chinaYear = (at: Date) => Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(at));
const P = chinaYear(new Date()) - 4;
const B = P - 1;
const mm = (n: number, year = P) => `${year}-${String(n).padStart(2, '0')}`;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The little of the browser's own API the page functions below use (the root tsconfig has no DOM library). */
interface PageGlobals {
  document: { documentElement: { scrollWidth: number } };
}

/** A project body built through the fixture years, so year filters find it. */
const bodyOf = (name: string) => projectBody({ name: unique(name), startYear: B, endYear: P + 1 });

describe('monthly scheduling screens in a real browser', function () {
  this.timeout(180_000);

  let browser: Browser;
  let baseUrl: string;
  const opened: BrowserUser[] = [];
  const people = {} as Record<'owner' | 'otherOwner' | 'staff' | 'leader', TestUser>;
  let orgB = '';
  /** Fixture projects by key: X reports in the browser; Y1–Y3 owe March's report; Z1, Z2 get their plans by import. */
  const ids = {} as Record<'X' | 'Y1' | 'Y2' | 'Y3' | 'Z1' | 'Z2', string>;
  const names = {} as Record<keyof typeof ids, string>;

  const open = async (viewport?: typeof PHONE) => {
    const user = await BrowserUser.open(browser, baseUrl, viewport);
    opened.push(user);
    return user;
  };

  const who = (user: TestUser): CurrentUser => ({ ...(user.client.user as CurrentUser), displayName: '测试填报人' });

  /** A report as the unit sent it on a past day (the API stamps today, so the service is called with the day). */
  async function reportOn(user: TestUser, projectId: string, day: string, report: { month: string; amount: number; percent?: number; note?: string; startedOn?: string }) {
    await sendMonthlyReport(
      who(user),
      projectId,
      { month: report.month, completedInvestment: report.amount, progressPercent: report.percent ?? 20, progressNote: report.note ?? `${report.month} 主体施工`, startedOn: report.startedOn, inStatistics: true },
      new Date(`${day}T10:00:00+08:00`),
    );
  }

  async function plan(projectId: string, year: number, body: Record<string, unknown>) {
    const res = await people.staff.client.put(`/api/projects/${projectId}/plans/${year}`, body);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  }

  async function create(key: keyof typeof ids, client: ApiClient, label: string) {
    const project = await createProject(client, bodyOf(label));
    ids[key] = project.id;
    names[key] = project.name;
    return project;
  }

  before(async function () {
    this.timeout(15 * 60_000); // a fresh machine installs Chromium and builds the web app first
    ensureWebBuild((line) => console.log(`  ${line}`));
    browser = await launchChromium();
    baseUrl = service().url;
    const admin = await adminClient();
    const orgA = await createOrganisation(admin);
    orgB = await createOrganisation(admin);
    Object.assign(people, {
      owner: await signedInUser(admin, 'owner', orgA),
      otherOwner: await signedInUser(admin, 'owner', orgB),
      staff: await signedInUser(admin, 'staff'),
      leader: await signedInUser(admin, 'leader'),
    });
    const team = { owner: people.owner.client, staff: people.staff.client };

    // X: works started in December of the year before, a city key project continuing this year; February came late.
    await bringTo(team, await create('X', people.owner.client, '城东污水处理厂扩建工程'), 'implementation');
    await plan(ids.X, B, { plannedInvestment: 6_000_000, plannedStart: `${B}-11-01` });
    await plan(ids.X, P, { keyLevel: 'city', plannedInvestment: 12_000_000, plannedStart: `${B}-11-01`, plannedCompletion: `${P + 1}-06-30` });
    await reportOn(people.owner, ids.X, `${P}-01-03`, { month: mm(12, B), amount: 1_000_000, percent: 5, startedOn: `${B}-12-05` });
    await reportOn(people.owner, ids.X, `${P}-02-02`, { month: mm(1), amount: 1_500_000, percent: 10 });
    await reportOn(people.owner, ids.X, `${P}-03-20`, { month: mm(2), amount: 2_500_000, percent: 20, note: '二期生化池主体浇筑完成' });

    // Y1–Y3: another unit's projects planned to start in February: March in time, March late, March never.
    for (const [key, label] of [['Y1', '西城区道路改造工程'], ['Y2', '农贸市场提升改造项目'], ['Y3', '河道综合治理工程']] as const) {
      await create(key, people.otherOwner.client, label);
      await plan(ids[key], P, { keyLevel: 'county', plannedInvestment: 4_800_000, plannedStart: `${P}-02-01` });
    }
    await reportOn(people.otherOwner, ids.Y1, `${P}-04-02`, { month: mm(3), amount: 600_000, note: '路基施工完成三成', startedOn: `${P}-02-15` });
    await reportOn(people.otherOwner, ids.Y2, `${P}-04-20`, { month: mm(3), amount: 300_000, note: '市场主体拆除完成', startedOn: `${P}-03-01` });

    // Z1, Z2: no plan yet; staff give them one in the browser.
    await create('Z1', people.otherOwner.client, '社区养老服务中心建设项目');
    await create('Z2', people.otherOwner.client, '乡镇卫生院改扩建项目');
  });

  afterEach(function () {
    for (const user of opened) {
      expect(user.errors, `${this.currentTest?.title}: console errors`).to.deep.equal([]);
      user.expectFailedRequests();
    }
  });

  after(async () => {
    await browser?.close();
  });

  it('reminds the unit on its home page of the report due, and flags its missing reports in the list', async () => {
    const owner = await open(PHONE);
    const detail = await getProject(people.owner.client, ids.X);
    const current = detail.reporting.current as { month: string; dueOn: string; status: string };
    expect(current, 'X owes the report being collected now').to.be.an('object');
    const row = (await people.owner.client.get(`/api/projects?q=${encodeURIComponent(names.X)}`)).body.items[0];

    await owner.signInAt('/projects', people.owner.username, people.owner.password);
    const reminder = owner.byTest('report-reminder');
    const month = `${Number(current.month.slice(5))}月`;
    await owner.waitForText(reminder, current.status === 'missing' ? `${month}月报逾期未报（截止${current.dueOn}）` : `${month}月报待报送，截止${current.dueOn}`);
    await owner.waitForText(reminder, names.X);
    // On a phone the list is cards (issue "What people stumble over in the browser", point 4).
    const listed = owner.byTest('project-list').locator('.el-table__row, [data-test=project-card]', { hasText: names.X });
    if (row.reporting.missing.length) await owner.waitForText(listed.locator('[data-test=reporting-badge]'), `月报缺报 ${row.reporting.missing.length}`);
    await owner.screenshot('schedule-owner-home-phone', false);

    await reminder.getByRole('link', { name: names.X }).click();
    await owner.page.waitForURL(`**/projects/${ids.X}?report=${current.month}`);
    const form = owner.byTest('report-form');
    await form.waitFor();
    expect(await form.locator('input[name=month]').inputValue()).to.equal(`${current.month.slice(0, 4)}年${Number(current.month.slice(5))}月`);
    await owner.waitForText(owner.byTest('report-due'), current.dueOn);
  });

  it('lets the unit send a month\'s report on a phone, with the running totals shown as it types, and lists it with its lateness', async () => {
    const owner = opened.at(-1)!;
    await owner.goto(`/projects/${ids.X}?report=${mm(3)}`);
    const form = owner.byTest('report-form');
    await form.waitFor();
    // Last month's figures beside the form.
    await owner.waitForText(owner.byTest('last-month'), '250.00 万元');
    await owner.waitForText(owner.byTest('last-month'), '二期生化池主体浇筑完成');
    await owner.waitForText(form, '已于 ' + `${B}-12-05` + ' 开工');

    const amount = form.locator('input[name=completedInvestment]');
    await amount.fill('4');
    await owner.waitForText(owner.byTest('running-year'), '404.00 万元');
    await amount.fill('400');
    await owner.waitForText(owner.byTest('running-year'), '800.00 万元');
    await owner.waitForText(owner.byTest('running-since-start'), '900.00 万元');
    await form.locator('input[name=progressPercent]').fill('35');
    await form.locator('textarea[name=progressNote]').fill('二期生化池设备安装过半');
    // 入统 carries over from last month's report.
    expect(await form.locator('[data-test=in-statistics]').getAttribute('class')).to.match(/is-checked/);
    await owner.page.setInputFiles('[data-test=site-photos] input[type=file]', { name: '现场照片.png', mimeType: 'image/png', buffer: scannedPagePng('site') });
    await form.locator('.el-upload-list__item.is-success').waitFor();
    await form.locator('textarea[name=problems]').fill('进场道路雨后泥泞，材料运输受阻');
    await owner.screenshot('schedule-owner-report-form-phone', false);
    await owner.byTest('report-submit').click();
    await owner.byTest('report-form').waitFor({ state: 'detached' });

    const march = owner.byTest('monthly-reports').locator(`[data-month="${mm(3)}"]`);
    await owner.waitForText(march, '400.00 万元');
    await owner.waitForText(march, '进场道路雨后泥泞');
    await march.locator('[data-test=report-late]').waitFor();
    await march.locator('img').waitFor();
    const sent = (await people.owner.client.get(`/api/projects/${ids.X}/monthly-reports?year=${P}`)).body.items.find((r: { month: string }) => r.month === mm(3));
    expect(sent).to.include({ completedInvestment: 4_000_000, progressPercent: 35, inStatistics: true, completedThisYear: 8_000_000, completedSinceStart: 9_000_000, late: true });
    expect(sent.photos).to.have.length(1);
    expect(sent.problems).to.equal('进场道路雨后泥泞，材料运输受阻');
    await owner.waitForText(march, '800.00 万元');

    const width = await owner.page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth);
    expect(width, 'page wider than the phone').to.be.at.most(PHONE.width);
    await owner.screenshot('schedule-owner-report-phone');
  });

  it('asks for a reason before correcting a month already sent, and keeps both versions', async () => {
    const owner = opened.at(-1)!;
    await owner.byTest('monthly-reports').locator(`[data-month="${mm(2)}"] [data-test=report-correct]`).click();
    const form = owner.byTest('report-form');
    await owner.waitForText(owner.byTest('correcting'), '本次为更正');
    const amount = form.locator('input[name=completedInvestment]');
    expect(await amount.inputValue()).to.equal('250');
    await amount.fill('260');
    // The year's total up to February: January and February as corrected.
    await owner.waitForText(owner.byTest('running-year'), '410.00 万元');
    await owner.byTest('report-submit').click();
    await owner.waitForText(form.locator('.el-form-item__error'), '该月月报已报送，更正须说明理由');
    await form.locator('textarea[name=reason]').fill('漏报设备采购款，更正本月完成投资');
    await owner.byTest('report-submit').click();
    await owner.byTest('report-form').waitFor({ state: 'detached' });

    const february = owner.byTest('monthly-reports').locator(`[data-month="${mm(2)}"]`);
    await owner.waitForText(february.locator('[data-test=report-revision]'), '第 2 版');
    await owner.waitForText(february, '260.00 万元');
    await owner.waitForText(february, '漏报设备采购款');
    // Lateness is judged by the first report of the month: still late.
    await february.locator('[data-test=report-late]').waitFor();
    const revisions = (await people.owner.client.get(`/api/projects/${ids.X}/monthly-reports?year=${P}`)).body.items.filter((r: { month: string }) => r.month === mm(2));
    expect(revisions.map((r: { completedInvestment: number }) => r.completedInvestment)).to.deep.equal([2_500_000, 2_600_000]);
  });

  it('shows staff who has reported for a month, counted by status, and opens a project\'s report in one click', async () => {
    const staff = await open();
    await staff.signInAt('/monthly-reports', people.staff.username, people.staff.password);
    await staff.goto(`/monthly-reports?month=${mm(3)}&orgId=${orgB}`);
    const api = (await people.staff.client.get(`/api/monthly-reports?month=${mm(3)}&orgId=${orgB}`)).body;
    expect(api.counts).to.deep.equal({ missing: 1, 'not-due': 0, late: 1, 'on-time': 1 });
    const counts = staff.byTest('reporting-counts');
    for (const [status, count] of Object.entries(api.counts)) await staff.waitForText(counts.locator(`[data-status="${status}"] .number`), String(count));
    await staff.waitForText(staff.byTest('reporting-due'), api.dueOn);

    const list = staff.byTest('reporting-list');
    await staff.waitForText(list.locator('.el-table__row', { hasText: names.Y1 }), '按时报送');
    await staff.waitForText(list.locator('.el-table__row', { hasText: names.Y2 }), '逾期报送');
    await staff.waitForText(list.locator('.el-table__row', { hasText: names.Y3 }), '逾期未报');
    await staff.screenshot('schedule-staff-reporting');

    await list.locator('.el-table__row', { hasText: names.Y1 }).click();
    const drawer = staff.byTest('report-view');
    await staff.waitForText(drawer.locator(`[data-month="${mm(3)}"]`), '路基施工完成三成');
    await staff.waitForText(drawer, '60.00 万元');

    // Only the missing ones, by their count.
    await staff.page.keyboard.press('Escape');
    await counts.locator('[data-status="missing"]').click();
    await staff.page.waitForURL(/status=missing/);
    await staff.waitForText(staff.byTest('reporting-list'), names.Y3);
    expect(await staff.byTest('reporting-list').locator('.el-table__row').count()).to.equal(1);
  });

  it('lets staff import a plan sheet: a bad row shows its errors and saves nothing, a sound sheet is committed', async () => {
    const staff = opened.at(-1)!;
    await staff.goto(`/plans?year=${P}&tab=import`);
    const template = staff.byTest('import-template');
    await template.waitFor();
    expect(await template.getAttribute('href')).to.equal(`/api/imports/template.xlsx?kind=plans&year=${P}`);
    const [download] = await Promise.all([staff.page.waitForEvent('download'), template.click()]);
    expect(download.suggestedFilename()).to.match(/年度计划导入模板\.xlsx$/);

    const headers = await templateHeaders(people.staff.client);
    const bad = await sheetOf(headers, [
      { 系统编号: ids.Z1, 项目名称: names.Z1, 年度: P, 重点项目: '区（县）重点', '年度计划投资（万元）': 300, 计划开工: `${P}-09-01`, 计划竣工: `${P + 1}-08-31` },
      { 系统编号: ids.Z2, 项目名称: names.Z2, 年度: P, 重点项目: '县重点', '年度计划投资（万元）': '三百万', 计划开工: `${P}-09-01` },
    ]);
    const expected = (await uploadSheet(people.staff.client, bad)).body.import.errors as { row: number; column: string; message: string }[];
    expect(expected.length, 'the bad row has errors').to.be.at.least(2);

    await staff.page.setInputFiles('[data-test=import-upload] input[type=file]', { name: '年度计划（有错误）.xlsx', mimeType: XLSX, buffer: bad });
    await staff.waitForText(staff.byTest('import-failed'), `发现 ${expected.length} 处错误，没有保存任何数据`);
    const shown = await staff.byTest('import-errors').locator('.el-table__row').allInnerTexts();
    expect(shown.map((text) => text.split(/\s*\n\s*|\t/).filter(Boolean))).to.deep.equal(expected.map((e) => [String(e.row), e.column, e.message]));
    expect(await staff.byTest('import-commit').count()).to.equal(0);
    for (const key of ['Z1', 'Z2'] as const) expect((await getProject(people.staff.client, ids[key])).schedule.plans[String(P)], `${key} untouched`).to.equal(undefined);
    await staff.screenshot('schedule-import-errors');

    const good = await sheetOf(headers, [
      { 系统编号: ids.Z1, 项目名称: names.Z1, 年度: P, 重点项目: '区（县）重点', '年度计划投资（万元）': 300, 计划开工: `${P}-09-01`, 计划竣工: `${P + 1}-08-31` },
      { 系统编号: ids.Z2, 项目名称: names.Z2, 年度: P, '年度计划投资（万元）': 250.5, 计划开工: `${P}-10-01` },
    ]);
    await staff.page.setInputFiles('[data-test=import-upload] input[type=file]', { name: '年度计划.xlsx', mimeType: XLSX, buffer: good });
    await staff.waitForText(staff.byTest('import-checked'), '检查通过，共 2 行，尚未保存');
    await staff.waitForText(staff.byTest('import-rows'), '250.50 万元');
    expect((await getProject(people.staff.client, ids.Z1)).schedule.plans[String(P)], 'nothing saved before the commit').to.equal(undefined);
    await staff.byTest('import-commit').click();
    await staff.waitForText(staff.byTest('import-done'), '已导入');
    expect((await getProject(people.staff.client, ids.Z1)).schedule.plans[String(P)]).to.deep.equal({
      keyLevel: 'county',
      plannedInvestment: 3_000_000,
      plannedStart: `${P}-09-01`,
      plannedCompletion: `${P + 1}-08-31`,
    });
    expect((await getProject(people.staff.client, ids.Z2)).schedule.plans[String(P)]).to.deep.equal({ plannedInvestment: 2_505_000, plannedStart: `${P}-10-01` });
  });

  it('lets staff change a plan in the year\'s table, checked as the API checks it', async () => {
    const staff = opened.at(-1)!;
    await staff.goto(`/plans?year=${P}`);
    const table = staff.byTest('plans-table');
    await table.waitFor();
    await staff.page.locator('[data-test=plan-bulk] input[placeholder="按项目名称查找"]').fill(names.Z2);
    await staff.page.keyboard.press('Enter');
    const row = table.locator('.el-table__row', { hasText: names.Z2 });
    await staff.waitForText(row, '已有计划');
    const amount = row.locator('input[name=plannedInvestment]');
    expect(await amount.inputValue()).to.equal('250.5');
    await amount.fill('320');
    // A completion before the start: refused beside the row before anything is sent.
    await row.locator('input[name=plannedCompletion]').fill(`${P}-05-01`);
    await row.locator('input[name=plannedCompletion]').press('Enter');
    await staff.byTest('plans-save').click();
    await staff.waitForText(row.locator('[data-test=plan-row-error]'), '计划竣工不能早于计划开工');
    expect((await getProject(people.staff.client, ids.Z2)).schedule.plans[String(P)].plannedInvestment).to.equal(2_505_000);
    await row.locator('input[name=plannedCompletion]').fill(`${P + 1}-12-31`);
    await row.locator('input[name=plannedCompletion]').press('Enter');
    await staff.byTest('plans-save').click();
    await row.locator('[data-test=plan-row-saved]').waitFor();
    expect((await getProject(people.staff.client, ids.Z2)).schedule.plans[String(P)]).to.deep.equal({
      plannedInvestment: 3_200_000,
      plannedStart: `${P}-10-01`,
      plannedCompletion: `${P + 1}-12-31`,
    });
  });

  it('lets staff set one project\'s plan for another year on its page', async () => {
    const staff = opened.at(-1)!;
    await staff.goto(`/projects/${ids.Z1}`);
    const plans = staff.byTest('plans');
    await staff.waitForText(plans.locator('.el-table__row', { hasText: String(P) }), '区（县）重点');
    await staff.byTest('set-plan').click();
    const dialog = staff.byTest('plan-dialog');
    await dialog.locator('input[name=year]').fill(String(B));
    await dialog.locator('input[name=plannedInvestment]').fill('120');
    await dialog.locator('input[name=plannedStart]').fill(`${B}-06-01`);
    await dialog.locator('input[name=plannedStart]').press('Enter');
    await staff.waitForText(dialog, '新开工项目');
    await staff.byTest('plan-save').click();
    await dialog.waitFor({ state: 'hidden' });
    await staff.waitForText(plans.locator('.el-table__row', { hasText: String(B) }), '120.00 万元');
    expect((await getProject(people.staff.client, ids.Z1)).schedule.plans[String(B)]).to.deep.equal({ plannedInvestment: 1_200_000, plannedStart: `${B}-06-01` });
  });

  it('shows the leader the month\'s scheduling figures, each drilling down to the projects the API counts', async () => {
    const leader = await open();
    await leader.signInAt('/dashboard', people.leader.username, people.leader.password);
    const month = mm(8);
    await leader.goto(`/dashboard?month=${month}`);
    const stats = (await people.leader.client.get(`/api/stats/schedule?month=${month}`)).body;
    expect(stats.month).to.equal(month);
    const rate = (share?: number) => (share === undefined ? '—' : percentText(share));

    const board = leader.byTest('schedule-dashboard');
    await board.waitFor();
    await leader.waitForText(leader.byTest('start-rate-value'), rate(stats.startRate));
    await leader.waitForText(leader.byTest('completion-rate-value'), rate(stats.completionRate));
    await leader.waitForText(leader.byTest('behind-plan'), String(stats.behindPlan));
    await leader.waitForText(leader.byTest('missing-reports'), String(stats.missingReports.count));
    for (const r of ['red', 'yellow', 'green'] as const) await leader.waitForText(board.locator(`[data-figure=${r}]`), String(stats.ratings.counts[r]));
    await leader.waitForText(leader.byTest('half-year'), stats.halfYear.passed ? '已实现' : '未实现');
    await board.locator('[data-test=schedule-chart] svg').first().waitFor();
    // The bulletin's paragraph, and the bulletin itself for the same month.
    await leader.waitForText(leader.byTest('schedule-summary'), stats.summary);
    const [bulletin] = await Promise.all([leader.page.waitForEvent('download'), leader.byTest('schedule-summary').getByRole('button', { name: 'Excel' }).click()]);
    expect(bulletin.url()).to.equal(`${baseUrl}/api/exports/schedule.xlsx?month=${month}`);
    expect(bulletin.suggestedFilename()).to.match(/\.xlsx$/);
    expect((await bulletin.failure()) ?? 'ok').to.equal('ok');
    // The fixture's own facts: Y3 never started nor reported, X left April to August unreported.
    expect(stats.notStarted.items.map((p: { id: string }) => p.id)).to.include(ids.Y3);
    expect(stats.missingReports.items.map((p: { id: string }) => p.id)).to.include.members([ids.X, ids.Y3]);

    const drill = leader.byTest('schedule-drill');
    for (const figure of ['red', 'missingReports', 'notStarted'] as const) {
      await board.locator(`[data-figure=${figure}]`).first().click();
      const api = (await people.leader.client.get(`/api/stats/schedule/projects?figure=${figure}&month=${month}&page=1&limit=50`)).body;
      await leader.waitForText(drill, `共 ${api.total} 个项目`);
      const listed = await drill.locator('[data-test=schedule-drill-list] .el-table__row a.name').allInnerTexts();
      expect(listed, figure).to.deep.equal(api.items.map((p: { name: string }) => p.name));
      if (figure === 'red') await leader.screenshot('schedule-leader-drill', false);
      await leader.page.keyboard.press('Escape');
      await drill.waitFor({ state: 'hidden' });
    }
    await leader.screenshot('schedule-leader-dashboard');

    // From the figures to who has reported for the month.
    await board.locator('[data-test=reporting-link]').click();
    await leader.page.waitForURL(`**/monthly-reports?month=${month}`);
    const reporting = (await people.leader.client.get(`/api/monthly-reports?month=${month}`)).body;
    for (const status of ['missing', 'on-time'] as const) {
      await leader.waitForText(leader.byTest('reporting-counts').locator(`[data-status="${status}"] .number`), String(reporting.counts[status]));
    }
  });
});

/** The template's header row, as staff download it. */
async function templateHeaders(staff: ApiClient): Promise<string[]> {
  const res = await staff.get(`/api/imports/template.xlsx?kind=plans&year=${P}`);
  expect(res.status).to.equal(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.body as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return (workbook.worksheets[0]!.getRow(1).values as unknown[]).slice(1).map(String);
}

/** A sheet with the template's headers and these rows (values by header, without “（必填）”). */
async function sheetOf(headers: string[], rows: Record<string, unknown>[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('年度计划');
  sheet.addRow(headers);
  for (const row of rows) sheet.addRow(headers.map((h) => row[h.replace('（必填）', '')] ?? null));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function uploadSheet(client: ApiClient, bytes: Buffer) {
  const form = new FormData();
  form.append('kind', 'plans');
  form.append('file', new Blob([new Uint8Array(bytes)]), '年度计划.xlsx');
  return client.request('POST', '/api/imports', { form });
}
