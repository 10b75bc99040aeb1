import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { ensureWebBuild } from '../../scripts/ensure-web-build';
import { adminClient, advance, bringTo, createOrganisation, createProject, getProject, projectBody, signedInUser, specialBondBody, unique, type TestUser } from '../support/fixtures';
import { service } from '../support/hooks';
import { BrowserUser } from './support/browser';
import { launchChromium } from './support/chromium';

/**
 * Money over several years in a real browser: staff record the district's bond
 * quota on 债券额度, record a continuing central-budget project's plan for the
 * next year on its page, and a further quota of a special-bond project taken
 * from the district's quota, which then shows what is allocated and left.
 */
const chinaYear = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
const Y1 = chinaYear - 1;
const Y2 = chinaYear;

describe('money over several years in a real browser', function () {
  this.timeout(180_000);

  let browser: Browser;
  let baseUrl: string;
  const opened: BrowserUser[] = [];
  let staff: TestUser;
  let centralId = '';
  let bondId = '';
  const batch = unique('第一批');

  const open = async () => {
    const user = await BrowserUser.open(browser, baseUrl);
    opened.push(user);
    return user;
  };

  before(async function () {
    this.timeout(15 * 60_000); // a fresh machine installs Chromium and builds the web app first
    ensureWebBuild((line) => console.log(`  ${line}`));
    browser = await launchChromium();
    baseUrl = service().url;
    const admin = await adminClient();
    const orgId = await createOrganisation(admin);
    const owner = await signedInUser(admin, 'owner', orgId);
    staff = await signedInUser(admin, 'staff');
    const team = { owner: owner.client, staff: staff.client };
    const approval = (amount: number) => ({ data: { amount, year: Y1, docNo: unique(`发改投资〔${Y1}〕`), date: `${Y1}-06-30` } });
    const [c, b] = await Promise.all([
      bringTo(team, await createProject(owner.client, projectBody({ name: unique('续建城区道路') })), 'submitted'),
      bringTo(team, await createProject(owner.client, specialBondBody(1.5, { name: unique('续建标准厂房') })), 'submitted'),
    ]);
    centralId = (await advance(staff.client, await advance(staff.client, c, 'RECORD_APPROVAL', approval(20_000_000)), 'START_IMPLEMENTATION')).id;
    bondId = (await advance(staff.client, b, 'RECORD_APPROVAL', approval(30_000_000))).id;
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

  it("records the district's quota, a later plan release and a further quota from the district's quota", async () => {
    const user = await open();
    await user.signInAt('/bond-quotas', staff.username, staff.password);
    await user.byTest('quota-new').click();
    const dialog = user.byTest('quota-dialog');
    await dialog.locator('input[name=year]').fill(String(Y2));
    await dialog.locator('input[name=batch]').fill(batch);
    await dialog.locator('input[name=amount]').fill('5000');
    await user.byTest('quota-save').click();
    await user.waitForText(user.byTest('quota-table'), batch);

    // A continuing central-budget project: next year's plan, counted as secured in its year.
    await user.goto(`/projects/${centralId}`);
    await user.byTest('money-release').click();
    let money = user.byTest('money-dialog').filter({ visible: true });
    await money.locator('input[name=year]').fill(String(Y2));
    await money.locator('input[name=amount]').fill('1500');
    await money.locator('input[name=docNo]').fill(`发改投资〔${Y2}〕续建5号`);
    await money.locator('input[name=date]').fill(`${Y2}-04-01`);
    await money.locator('input[name=date]').press('Enter');
    await user.byTest('money-save').filter({ visible: true }).click();
    await user.waitForText(user.byTest('money-releases'), `发改投资〔${Y2}〕续建5号`);
    await user.waitForText(user.byTest('project-money'), `${Y2}年 1,500`);
    const central = await getProject(staff.client, centralId);
    expect(central.money.releases.map((r: any) => [r.year, r.amount])).to.deep.equal([
      [Y1, 20_000_000],
      [Y2, 15_000_000],
    ]);

    // A special-bond project: a further quota taken from the district's quota.
    await user.goto(`/projects/${bondId}`);
    await user.byTest('money-quota').click();
    money = user.byTest('money-dialog').filter({ visible: true });
    await money.locator('input[name=year]').fill(String(Y2));
    await money.locator('input[name=amount]').fill('2000');
    await money.locator('input[name=docNo]').fill(`财预〔${Y2}〕追加${unique('')}号`);
    await money.locator('input[name=date]').fill(`${Y2}-05-01`);
    await money.locator('input[name=date]').press('Enter');
    await user.byTest('money-district-quota').click();
    await user.page.locator('.el-select-dropdown__item:visible', { hasText: batch }).click();
    await user.byTest('money-save').filter({ visible: true }).click();
    await user.waitForText(user.byTest('money-quotas'), '第2笔');
    await user.screenshot('project-money');
    const bond = await getProject(staff.client, bondId);
    expect(bond.money.quotas.map((q: any) => [q.no, q.year, q.amount])).to.deep.equal([
      [1, Y1, 30_000_000],
      [2, Y2, 20_000_000],
    ]);

    await user.goto('/bond-quotas');
    const row = user.byTest('quota-table').locator('tr', { hasText: batch });
    await user.waitForText(row, '3,000');
    await user.screenshot('bond-quotas');
  });
});
