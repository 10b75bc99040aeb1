import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { ensureWebBuild } from '../../scripts/ensure-web-build';
import { service } from '../support/hooks';
import { ApiClient } from '../support/client';
import {
  adminClient, advance, bringTo, createOrganisation, createProject, getProject, historyOf, projectBody, signedInUser, unique, upload, type TestUser,
} from '../support/fixtures';
import { BrowserUser, PHONE } from './support/browser';
import { launchChromium } from './support/chromium';
import { downloadWorkbook, dossierRow, sidewaysScrolling, type PageGlobals, type Rect } from './support/pages';
import { rules } from '../../workflows/rules-file';
import { currentScheduleMonth } from '../../workflows/schedule';

/**
 * What people stumbled over when they tried the app in Chromium as each kind of
 * user, at 1440×900 and on a 390×844 phone (issue "What people stumble over in
 * the browser"), one test per stumble. Projects are set up through the API; what
 * is checked is what the person sees and what the service then holds.
 */
const WIDE = { width: 1440, height: 900 };
const chinaDay = (at = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
/** The month whose figures are current (the latest whose monthly reports are all due), its year, and the share of the year gone by its end. */
const MONTH = currentScheduleMonth(chinaDay(), rules);
const YEAR = Number(MONTH.slice(0, 4));
/** A year's plan of 1,200万元, of which 100万元 a month is due: by MONTH, this much. */
const PLANNED = 12_000_000;
const DUE_BY_MONTH = (PLANNED / 12) * Number(MONTH.slice(5, 7));
/** This calendar year in China. */
const T = Number(chinaDay().slice(0, 4));
const percentIn = (text: string) => Number(text.replace(/[^\d.]/g, ''));
/** What the hall board test reads of the page's lists. */
interface BoardSection {
  className: string;
  textContent: string | null;
  querySelectorAll(selector: string): ArrayLike<BoardSection>;
}
const overlap = (a: Rect, b: Rect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe('what people stumbled over in the browser', function () {
  this.timeout(180_000);

  let browser: Browser;
  let baseUrl: string;
  let admin: ApiClient;
  const opened: BrowserUser[] = [];
  const people = {} as Record<'owner' | 'staff' | 'leader' | 'admin', TestUser>;
  let orgId = '';
  let team: { owner: ApiClient; staff: ApiClient };

  const open = async (viewport: { width: number; height: number } = WIDE) => {
    const user = await BrowserUser.open(browser, baseUrl, viewport);
    opened.push(user);
    return user;
  };

  /** A central-budget project of the owner's organisation, carried through the API to `stage`. */
  const projectAt = async (stage: string, overrides: Record<string, unknown> = {}) =>
    bringTo(team, await createProject(team.owner, projectBody(overrides)), stage);

  /** A project with the year's plan (staff) and, when given, its unit's report of `completed` for MONTH. */
  const scheduled = async (name: string, plan: Record<string, unknown> = {}, completed?: number) => {
    const project = await createProject(team.owner, projectBody({ name }));
    const planned = await team.staff.put(`/api/projects/${project.id}/plans/${YEAR}`, { plannedInvestment: PLANNED, ...plan });
    expect(planned.status, JSON.stringify(planned.body)).to.equal(200);
    if (completed !== undefined) {
      const report = await team.owner.post(`/api/projects/${project.id}/monthly-reports`, { month: MONTH, completedInvestment: completed, progressPercent: 40, progressNote: '主体施工' });
      expect(report.status, JSON.stringify(report.body)).to.equal(201);
    }
    return project;
  };

  before(async function () {
    this.timeout(15 * 60_000);
    ensureWebBuild((line) => console.log(`  ${line}`));
    browser = await launchChromium();
    baseUrl = service().url;
    admin = await adminClient();
    orgId = await createOrganisation(admin);
    Object.assign(people, {
      owner: await signedInUser(admin, 'owner', orgId),
      staff: await signedInUser(admin, 'staff'),
      leader: await signedInUser(admin, 'leader'),
      admin: await signedInUser(admin, 'admin'),
    });
    team = { owner: people.owner.client, staff: people.staff.client };
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

  describe('1. amounts in 万元 with decimals', () => {
    it('saves a project whose amounts have decimals, exactly to the yuan', async () => {
      const owner = await open();
      await owner.signInAt('/projects/new', people.owner.username, people.owner.password);
      const page = owner.page;
      const name = unique('老旧小区改造配套工程');
      await page.fill('input[name=name]', name);
      await page.locator('[data-path=field] .el-select').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '市政' }).click();
      await page.fill('input[name=totalInvestment]', '11800.5');
      await page.fill('input[name="funding.centralBudget"]', '5000.2501');
      await page.fill('input[name="funding.localFiscal"]', '6800.2499');
      await page.fill('input[name=requestedAmount]', '5000.2501');
      await owner.waitForText(owner.byTest('funding-sum'), '已平衡');
      await page.click('[data-test=project-form] button[type=submit]');
      await page.waitForURL(/\/projects\/[0-9a-f]{24}$/);
      const saved = await getProject(team.owner, page.url().split('/').pop()!);
      expect(saved).to.include({ name, totalInvestment: 118_005_000, requestedAmount: 50_002_501 });
      expect(saved.funding).to.include({ centralBudget: 50_002_501, localFiscal: 68_002_499 });
    });

    it('says beside the field why an amount finer than one yuan is refused, and saves four decimals on Enter', async () => {
      const project = await projectAt('implementation');
      const staff = await open();
      await staff.signInAt(`/projects/${project.id}`, people.staff.username, people.staff.password);
      await staff.page.locator('[data-event=RECORD_DISBURSEMENT]').click();
      const dialog = staff.byTest('event-dialog');
      const amount = dialog.locator('input[name=amount]');
      await amount.fill('12.34567');
      await staff.byTest('event-confirm').click();
      await staff.waitForText(dialog.locator('.el-form-item', { has: staff.page.locator('input[name=amount]') }).locator('.el-form-item__error'), '四位小数');
      expect((await getProject(team.staff, project.id)).disbursements ?? []).to.deep.equal([]);

      await amount.fill('123.4567');
      await amount.press('Enter');
      await dialog.waitFor({ state: 'hidden' });
      expect((await getProject(team.staff, project.id)).disbursements.map((d: { amount: number }) => d.amount)).to.deep.equal([1_234_567]);
    });
  });

  describe('2. messages written for the people who read them', () => {
    it('tells the administrator what is wrong with a new user in the words of the form', async () => {
      const page = await open();
      await page.signInAt('/admin', people.admin.username, people.admin.password);
      page.expectFailedRequests(422);
      await page.page.getByRole('button', { name: '新建用户' }).click();
      const dialog = page.page.locator('.el-dialog').filter({ visible: true });
      await dialog.locator('.el-form-item', { hasText: '用户名' }).locator('input').fill('ab');
      await dialog.locator('.el-form-item', { hasText: '初始密码' }).locator('input').fill('short');
      await dialog.getByRole('button', { name: '创建' }).click();
      const errorOf = (label: string) => dialog.locator('.el-form-item', { hasText: label }).locator('.el-form-item__error');
      await page.waitForText(errorOf('姓名'), '请填写姓名');
      const shown = await dialog.locator('.el-form-item__error').allInnerTexts();
      expect(shown.join('\n')).to.contain('用户名');
      for (const text of shown) expect(text).not.to.match(/期望|string|number|>=|<=|数值过|字符串|无效输入/);
    });
  });

  describe('3. words that do not mislead', () => {
    it('ranks the hall board by how far each project is ahead of or behind its plan, and lists each where it belongs', async () => {
      // Twice what is due by the month, and 92 % of it: ahead of plan and behind it.
      const ahead = await scheduled(unique('城乡供水一体化工程'), {}, 2 * DUE_BY_MONTH);
      const behind = await scheduled(unique('城乡供水一体化工程'), {}, Math.round(0.92 * DUE_BY_MONTH));
      const hall = await open();
      await hall.goto('/board');
      await hall.byTest('board').locator('tbody tr').first().waitFor();
      const lists = await hall.byTest('board').locator('section').evaluateAll((sections) =>
        (sections as unknown as BoardSection[]).map((section) => ({
          ahead: section.className.includes('fastest'),
          title: (section.querySelectorAll('h2')[0]?.textContent ?? '').trim(),
          headers: Array.from(section.querySelectorAll('th')).map((th) => (th.textContent ?? '').trim()),
          rows: Array.from(section.querySelectorAll('tbody tr')).map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => (td.textContent ?? '').trim())),
        })),
      );
      expect(lists.map((l) => l.title)).to.deep.equal(['完成投资达到或快于年度计划', '完成投资慢于年度计划']);
      const seen = new Map<string, boolean>();
      for (const list of lists) {
        const at = (label: string) => list.headers.findIndex((h) => h.startsWith(label));
        for (const row of list.rows) {
          const [completed, planned] = [percentIn(row[at('已完成年度计划')]!), percentIn(row[at('按时序应完成年度计划')]!)];
          const name = row[at('项目名称')]!;
          seen.set(name, list.ahead);
          if (list.ahead) expect(completed, `${name}: listed ahead of plan`).to.be.at.least(planned);
          else expect(completed, `${name}: listed behind plan`).to.be.below(planned);
        }
      }
      expect(seen.get(ahead.name), ahead.name).to.equal(true);
      // Behind its plan, it is never listed ahead of it (the behind list shows the five furthest behind).
      expect(seen.get(behind.name), behind.name).not.to.equal(true);
    });

    it('gives the rating\'s reason in figures that never contradict its comparison, on the dashboard and the project page', async () => {
      // 59.965 % of what is due: red below 60 %, and never "60%，低于60%".
      const project = await scheduled(unique('产业园区道路工程'), {}, Math.floor(0.59965 * DUE_BY_MONTH));
      const comparison = /的(\d+(?:\.\d+)?)%，低于(\d+(?:\.\d+)?)%/;

      const leader = await open();
      await leader.signInAt('/dashboard', people.leader.username, people.leader.password);
      const flagged = leader.byTest('flagged').locator('.flag', { hasText: project.name });
      await flagged.waitFor();
      const [, share, limit] = comparison.exec(await flagged.innerText())!;
      expect(Number(share)).to.be.below(Number(limit));

      await leader.goto(`/projects/${project.id}`);
      const rating = leader.byTest('rating');
      await leader.waitForText(rating, '红黄绿评定：红');
      const [, onPage, limitOnPage] = comparison.exec(await rating.innerText())!;
      expect(Number(onPage)).to.be.below(Number(limitOnPage));
    });

    it('writes the year\'s summary with its date once and each amount in 万元 or 亿元 by its size', async () => {
      const leader = await open();
      await leader.signInAt('/dashboard', people.leader.username, people.leader.password);
      const text = await leader.byTest('summary').locator('p').innerText();
      expect(text).not.to.contain(`${T}年截至${T}年`);
      expect(text).to.match(new RegExp(`^截至${T}年\\d+月\\d+日，`));
      for (const [, amount] of text.matchAll(/([\d,.]+)亿元/g)) expect(Number(amount!.replace(/,/g, '')), text).to.be.at.least(1);
    });
  });

  describe('4. an owner on a 390-pixel phone', () => {
    it('reads the list, the project and the form top to bottom, with the actions in reach and nothing sideways', async () => {
      const waiting = await projectAt('application_review', { name: unique('中心卫生院门诊楼工程') });
      const drafted = await createProject(team.owner, projectBody({ name: unique('镇区污水收集管网工程') }));
      await upload(team.owner, drafted.id, 'proposal');
      const owner = await open(PHONE);
      await owner.signInAt('/projects', people.owner.username, people.owner.password);

      const entry = owner.page.locator('[data-test=project-list] .el-table__row, [data-test=project-card]', { hasText: waiting.name });
      await entry.waitFor();
      for (const shown of [entry.getByText('申报审核'), entry.getByText(/个工作日/)]) {
        const box = (await shown.boundingBox())!;
        expect(box.x + box.width, await shown.innerText()).to.be.at.most(PHONE.width);
      }
      const name = (await owner.byTest('current-user').boundingBox())!;
      for (const item of await owner.page.locator('header .el-menu-item').all()) {
        const box = (await item.boundingBox())!;
        const itemRect = { left: box.x, right: box.x + box.width, top: box.y, bottom: box.y + box.height, width: box.width, height: box.height };
        const nameRect = { left: name.x, right: name.x + name.width, top: name.y, bottom: name.y + name.height, width: name.width, height: name.height };
        expect(overlap(itemRect, nameRect), `${await item.innerText()} under the user's name`).to.equal(false);
        expect(itemRect.right, await item.innerText()).to.be.at.most(PHONE.width);
      }
      expect(await sidewaysScrolling(owner), 'project list').to.deep.equal([]);
      await owner.screenshot('phone-owner-projects');

      await owner.goto(`/projects/${drafted.id}`);
      await owner.byTest('project-name').waitFor();
      await owner.page.locator('.el-descriptions__label').first().waitFor();
      const wrapped = await owner.page.evaluate(() => {
        const page = globalThis as unknown as PageGlobals;
        return Array.from(page.document.querySelectorAll('.el-descriptions__label'))
          .map((label) => {
            const range = page.document.createRange();
            range.selectNodeContents(label);
            return { text: (label.textContent ?? '').trim(), lines: new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size };
          })
          .filter((label) => label.lines > 1);
      });
      expect(wrapped, 'labels broken over several lines').to.deep.equal([]);
      for (const part of [dossierRow(owner, 'proposal').locator('[data-test="doc-state-proposal"]'), dossierRow(owner, 'proposal').locator('[data-test="upload-proposal"]'), owner.page.locator('[data-event=SUBMIT]')]) {
        const box = (await part.boundingBox())!;
        expect(box.x, 'left edge').to.be.at.least(0);
        expect(box.x + box.width, 'right edge').to.be.at.most(PHONE.width);
      }
      expect(await sidewaysScrolling(owner), 'project page').to.deep.equal([]);
      await owner.screenshot('phone-owner-project');

      await owner.goto('/projects/new');
      await owner.byTest('project-form').waitFor();
      expect(await sidewaysScrolling(owner), 'project form').to.deep.equal([]);
    });

    it('draws the funds chart on a phone with its legend clear of the unit', async () => {
      const leader = await open(PHONE);
      await leader.signInAt('/dashboard', people.leader.username, people.leader.password);
      const chart = leader.byTest('funds-chart');
      await chart.locator('svg text', { hasText: '万元' }).first().waitFor();
      const texts = await chart.locator('svg text').evaluateAll((nodes) =>
        nodes.map((n) => {
          const r = (n as unknown as { getBoundingClientRect(): Rect }).getBoundingClientRect();
          return { text: n.textContent ?? '', rect: { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height } };
        }),
      );
      const unit = texts.find((t) => t.text === '万元')!;
      const legend = texts.filter((t) => /^(申报|到位)·/.test(t.text));
      expect(legend).to.have.length(4);
      for (const item of legend) expect(overlap(item.rect, unit.rect), `${item.text} over the unit`).to.equal(false);
      await leader.screenshot('phone-leader-dashboard');
    });
  });

  describe('5. lists a bureau can work with', () => {
    it('sorts, filters by unit, field and rating, pages up to 200, keeps it all in the address, and exports exactly the list or the rows picked', async () => {
      const unitName = unique('城投公司');
      const unit = await createOrganisation(admin, unitName);
      const unitOwner = await signedInUser(admin, 'owner', unit);
      const create = (overrides: Record<string, unknown>) => createProject(unitOwner.client, projectBody(overrides));
      const water = [
        await create({ name: unique('水厂扩建工程'), field: 'water', totalInvestment: 300_000_000, funding: { centralBudget: 40_000_000, specialBond: 0, localFiscal: 200_000_000, selfRaised: 60_000_000, other: 0 } }),
        await create({ name: unique('水库除险加固工程'), field: 'water' }),
      ];
      for (let i = 0; i < 20; i++) await create({ name: unique('村庄整治项目'), field: 'agriculture' });
      // A plan whose start has passed without works starting: red. Its key-project level is the city's.
      const red = await create({ name: unique('滨河路提升工程'), field: 'transport' });
      const plan = await team.staff.put(`/api/projects/${red.id}/plans/${YEAR}`, { keyLevel: 'city', plannedInvestment: PLANNED, plannedStart: `${YEAR}-01-05` });
      expect(plan.status, JSON.stringify(plan.body)).to.equal(200);

      const staff = await open();
      await staff.signInAt('/projects', people.staff.username, people.staff.password);
      const list = staff.byTest('project-list');
      const names = () => list.locator('.el-table__row .name').allInnerTexts();
      /** Waits until the address says this (a list's own navigation changes only its query). */
      const inAddress = (params: Record<string, string>) =>
        staff.page.waitForFunction((expected) => {
          const search = new URLSearchParams((globalThis as unknown as { location: { search: string } }).location.search);
          return Object.entries(expected).every(([key, value]) => search.get(key) === value);
        }, params);
      const choose = async (filter: string, option: string) => {
        await staff.byTest(filter).click();
        await staff.page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
      };
      await choose('filter-orgId', unitName);
      await inAddress({ orgId: unit });
      await staff.waitForText(list, red.name);
      expect(await names()).to.have.length(20);

      await staff.page.locator('.el-pagination .el-select').click();
      await staff.page.locator('.el-select-dropdown__item:visible', { hasText: '200' }).click();
      await inAddress({ limit: '200' });
      await staff.waitForText(list, water[1]!.name);
      expect(await names()).to.have.length(23);

      await choose('filter-rating', '红');
      await inAddress({ rating: 'red' });
      await list.locator('.el-table__row').nth(1).waitFor({ state: 'detached' });
      expect(await names()).to.deep.equal([red.name]);
      await staff.goto(`/projects?orgId=${unit}&limit=200`);
      await choose('filter-keyLevel', '市重点');
      await inAddress({ keyLevel: 'city' });
      await list.locator('.el-table__row').nth(1).waitFor({ state: 'detached' });
      expect(await names()).to.deep.equal([red.name]);
      await staff.goto(`/projects?orgId=${unit}&limit=200`);
      await choose('filter-field', '水利');
      await inAddress({ field: 'water' });
      await list.locator('.el-table__row').nth(2).waitFor({ state: 'detached' });

      await list.locator('th', { hasText: '总投资' }).click();
      await inAddress({ sort: 'totalInvestment', order: 'asc' });
      await staff.waitForText(list.locator('.el-table__row').first(), water[1]!.name);
      expect(await names()).to.deep.equal([water[1]!.name, water[0]!.name]);
      await list.locator('th', { hasText: '总投资' }).click();
      await inAddress({ sort: 'totalInvestment', order: 'desc' });
      await staff.waitForText(list.locator('.el-table__row').first(), water[0]!.name);

      await staff.page.reload();
      await staff.waitForText(list.locator('.el-table__row').first(), water[0]!.name);
      expect(await names()).to.deep.equal([water[0]!.name, water[1]!.name]);
      await staff.waitForText(staff.byTest('filter-field'), '水利');

      const all = await downloadWorkbook(staff, () => staff.byTest('export').click());
      expect(all.name).to.match(/\.xlsx$/);
      expect(all.rows.map((r) => r['项目名称'])).to.deep.equal([water[0]!.name, water[1]!.name]);
      expect(all.rows[0]).to.include({ '项目单位': unitName, '领域': '水利', '总投资（万元）': 30_000 });

      await list.locator('.el-table__row', { hasText: water[1]!.name }).locator('.el-checkbox').click();
      const picked = await downloadWorkbook(staff, () => staff.byTest('export-selected').click());
      expect(picked.rows.map((r) => r['项目名称'])).to.deep.equal([water[1]!.name]);
    });
  });

  describe('6. waiting with something to see', () => {
    it('shows progress while the 申报书 is made, and a second click starts nothing more', async () => {
      const project = await createProject(team.owner, projectBody());
      const owner = await open();
      await owner.signInAt(`/projects/${project.id}`, people.owner.username, people.owner.password);
      let requests = 0;
      await owner.page.route('**/application.pdf', async (route) => {
        requests++;
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        await route.continue();
      });
      const button = owner.byTest('pdf-download');
      const downloads: unknown[] = [];
      owner.page.on('download', (d) => downloads.push(d));
      const first = owner.page.waitForEvent('download');
      await button.click();
      await owner.page.locator('[data-test=pdf-download]:disabled').waitFor({ timeout: 500 });
      await button.click({ force: true });
      expect(await owner.page.locator('[data-test=pdf-download].is-loading, [data-test=pdf-download] .is-loading').count()).to.be.above(0);
      await first;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(requests).to.equal(1);
      expect(downloads).to.have.length(1);
      expect(await button.isDisabled()).to.equal(false);
    });

    it('saves the 申报书 shown in the preview at once, without making it again', async () => {
      const project = await createProject(team.owner, projectBody());
      const owner = await open();
      await owner.signInAt(`/projects/${project.id}`, people.owner.username, people.owner.password);
      await owner.byTest('pdf-preview').click();
      await owner.byTest('pdf-frame').waitFor();
      const [download] = await Promise.all([owner.page.waitForEvent('download'), owner.byTest('preview-download').click()]);
      expect(download.suggestedFilename()).to.equal(`${project.name}-中央预算内投资项目资金申请报告-第1版.pdf`);
      // Saved from the copy the page already holds, not asked of the service again.
      expect(download.url()).to.match(/^blob:/);
    });

    it('sends one review however quickly staff click twice', async () => {
      const project = await createProject(team.owner, projectBody());
      await upload(team.owner, project.id, 'proposal');
      const staff = await open();
      await staff.signInAt(`/projects/${project.id}`, people.staff.username, people.staff.password);
      let reviews = 0;
      await staff.page.route('**/review', async (route) => {
        reviews++;
        await new Promise((resolve) => setTimeout(resolve, 800));
        await route.continue();
      });
      await staff.byTest('accept-proposal').dblclick();
      await staff.waitForText(staff.byTest('doc-state-proposal'), '已通过');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(reviews).to.equal(1);
      expect((await historyOf(team.staff, project.id)).filter((h) => h.event === 'DOCUMENT_REVIEW')).to.have.length(1);
    });
  });

  describe('7. administration', () => {
    it('lets the administrator edit a user, and reset a password that must be changed at the next login', async () => {
      const person = await signedInUser(admin, 'owner', orgId);
      const page = await open();
      await page.signInAt('/admin', people.admin.username, people.admin.password);
      await page.byTest(`edit-user-${person.username}`).click();
      const dialog = page.byTest('user-dialog');
      await dialog.locator('input[name=displayName]').fill('王五');
      await dialog.locator('.el-form-item', { hasText: '角色' }).locator('.el-select').click();
      await page.page.locator('.el-select-dropdown__item:visible', { hasText: '领导' }).click();
      await dialog.getByRole('button', { name: '保存' }).click();
      const row = page.byTest('users').locator('.el-table__row', { hasText: person.username });
      await page.waitForText(row, '王五');
      await page.waitForText(row, '领导');

      await page.byTest(`reset-password-${person.username}`).click();
      await page.confirm();
      const temporary = (await page.byTest('temporary-password').innerText()).trim();
      expect(temporary.length).to.be.at.least(12);

      const user = await open();
      await user.goto('/login');
      await user.page.fill('input[name=username]', person.username);
      await user.page.fill('input[name=password]', temporary);
      await user.page.click('button[type=submit]');
      await user.page.waitForURL((url) => url.pathname === '/password');
      const chosen = `Lx-${unique('pw')}-9q`;
      await user.page.fill('input[name=currentPassword]', temporary);
      await user.page.fill('input[name=newPassword]', chosen);
      await user.page.fill('input[name=confirmPassword]', chosen);
      await user.byTest('password-save').click();
      await user.page.waitForURL((url) => url.pathname === '/dashboard');
      expect((await new ApiClient(baseUrl).login(person.username, temporary)).status).to.equal(401);
      expect((await new ApiClient(baseUrl).login(person.username, chosen)).status).to.equal(200);
    });

    it('lets every user change their own password from the user menu', async () => {
      const person = await signedInUser(admin, 'staff');
      const page = await open();
      await page.signInAt('/queue', person.username, person.password);
      await page.fromUserMenu('修改密码', page.page.locator('input[name=currentPassword]'));
      const chosen = `Mv-${unique('pw')}-4k`;
      await page.page.fill('input[name=currentPassword]', person.password);
      await page.page.fill('input[name=newPassword]', chosen);
      await page.page.fill('input[name=confirmPassword]', chosen);
      await page.byTest('password-save').click();
      await page.waitForText(page.page.locator('.el-message'), '密码已修改');
      expect((await new ApiClient(baseUrl).login(person.username, person.password)).status).to.equal(401);
      expect((await new ApiClient(baseUrl).login(person.username, chosen)).status).to.equal(200);

      const auditor = await open();
      await auditor.signInAt('/audit', people.admin.username, people.admin.password);
      await auditor.byTest('audit-search').locator('input[name=q]').fill(person.username);
      await auditor.byTest('audit-search').locator('input[name=q]').press('Enter');
      await auditor.waitForText(auditor.byTest('audit'), '修改密码');
      expect(await auditor.byTest('audit').locator('.el-table__row').allInnerTexts()).to.satisfy((rows: string[]) => rows.every((r) => r.includes(person.username)));
    });
  });

  describe('8. the project page', () => {
    it('offers staff ready-made return reasons to pick and edit, and records an approval opinion in the history', async () => {
      const project = await projectAt('reserve_review');
      const staff = await open();
      await staff.signInAt(`/projects/${project.id}`, people.staff.username, people.staff.password);
      await staff.page.locator('[data-event=RETURN]').click();
      const dialog = staff.byTest('event-dialog');
      const choice = dialog.locator('[data-test=reason-choice]').first();
      const ready = (await choice.innerText()).trim();
      await choice.click();
      const reason = dialog.locator('textarea[name=reason]');
      expect(await reason.inputValue()).to.equal(ready);
      await reason.fill(`${ready}（请于三个工作日内补正）`);
      await staff.byTest('event-confirm').click();
      await dialog.waitFor({ state: 'hidden' });
      await staff.waitForText(staff.byTest('timeline'), `${ready}（请于三个工作日内补正）`);

      await advance(team.owner, await getProject(team.owner, project.id), 'SUBMIT');
      await staff.page.reload();
      await staff.page.locator('[data-event=APPROVE]').click();
      await dialog.locator('textarea[name=reason]').fill('材料齐全，同意入库');
      await staff.byTest('event-confirm').click();
      await dialog.waitFor({ state: 'hidden' });
      await staff.waitForText(staff.byTest('timeline'), '审核意见：材料齐全，同意入库');
      expect((await historyOf(team.staff, project.id)).at(-1)).to.include({ event: 'APPROVE', reason: '材料齐全，同意入库' });
    });

    it('lets an owner withdraw a file uploaded by mistake while nobody has reviewed it, and keeps it in the history', async () => {
      const project = await createProject(team.owner, projectBody());
      const mistaken = await upload(team.owner, project.id, 'proposal', '错传的文件.pdf');
      const owner = await open();
      await owner.signInAt(`/projects/${project.id}`, people.owner.username, people.owner.password);
      await owner.waitForText(owner.byTest('doc-state-proposal'), '待审核');
      await dossierRow(owner, 'proposal').locator('[data-test="withdraw-proposal"]').click();
      await owner.confirm();
      await owner.waitForText(owner.byTest('doc-state-proposal'), '未上传');
      await owner.waitForText(owner.byTest('timeline'), '撤回材料');
      const after = await getProject(team.owner, project.id);
      expect(after.dossier.find((d: { docType: string }) => d.docType === 'proposal')).to.include({ state: 'missing' });
      expect((await historyOf(team.owner, project.id)).at(-1)).to.deep.include({ event: 'DOCUMENT_WITHDRAW', data: { documentId: mistaken.id, docType: 'proposal', version: 1, fileName: '错传的文件.pdf' } });
    });
  });
});
