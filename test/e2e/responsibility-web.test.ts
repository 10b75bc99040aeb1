import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { ensureWebBuild } from '../../scripts/ensure-web-build';
import { minimalPdf } from '../../src/demo/sample-files';
import type { ApiClient } from '../support/client';
import { adminClient, createOrganisation, createProject, historyOf, projectBody, signedInUser, unique, upload, type TestUser } from '../support/fixtures';
import { service } from '../support/hooks';
import { BrowserUser, PHONE } from './support/browser';
import { launchChromium } from './support/chromium';
import { sidewaysScrolling } from './support/pages';

/**
 * Who answers for projects, in a real browser (issue 15): staff pick projects
 * in the list and name their leader and 经办人 at once; another member of
 * staff takes one over (接办) with a reason and takes an unhandled one at once;
 * the 经办工作量 page counts what each handles, on a desk and on a leader's
 * phone; a unit raises a problem with a file attached, which staff download.
 */
describe('responsibility screens in a real browser: bulk assignment, 接办, 经办工作量, problem attachments', function () {
  this.timeout(180_000);

  let browser: Browser;
  let baseUrl: string;
  const opened: BrowserUser[] = [];
  const people = {} as Record<'owner' | 'staffA' | 'staffB' | 'leader', TestUser>;
  const names = {} as Record<'staffA' | 'staffB' | 'leader', string>;
  let admin: ApiClient;
  /** A word every project of this test has in its name, to find them in the list. */
  const tag = unique('责任分工');
  const projects: { id: string; name: string }[] = [];

  const open = async (viewport = { width: 1366, height: 768 }) => {
    const user = await BrowserUser.open(browser, baseUrl, viewport);
    opened.push(user);
    return user;
  };

  /** Picks an option of the Element Plus select `select`, trying again when a click lands on the closing dropdown. */
  async function choose(user: BrowserUser, select: ReturnType<BrowserUser['byTest']>, option: string) {
    for (let attempt = 1; ; attempt++) {
      await select.click();
      await user.page.locator('.el-select-dropdown__item:visible', { hasText: option }).click();
      try {
        await select.locator('.el-select__selected-item', { hasText: option }).waitFor({ timeout: 2000 });
        return;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  const responsibilityOf = async (id: string) => (await people.staffA.client.get(`/api/projects/${id}`)).body.project.responsibility ?? {};

  before(async function () {
    this.timeout(15 * 60_000); // a fresh machine installs Chromium and builds the web app first
    ensureWebBuild((line) => console.log(`  ${line}`));
    browser = await launchChromium();
    baseUrl = service().url;
    admin = await adminClient();
    const orgId = await createOrganisation(admin);
    Object.assign(people, {
      owner: await signedInUser(admin, 'owner', orgId),
      staffA: await signedInUser(admin, 'staff'),
      staffB: await signedInUser(admin, 'staff'),
      leader: await signedInUser(admin, 'leader'),
    });
    // Names no other test's accounts share, to pick from the directory and find on the screens.
    for (const [key, prefix] of [['staffA', '经办甲'], ['staffB', '经办乙'], ['leader', '包联领导']] as const) {
      names[key] = unique(prefix);
      const renamed = await admin.patch(`/api/users/${people[key].id}`, { displayName: names[key] });
      expect(renamed.status, JSON.stringify(renamed.body)).to.equal(200);
    }
    // The fourth is left to nobody, for the 尚无经办人 line.
    for (const what of ['道路工程', '供水工程', '污水工程', '燃气工程']) {
      const project = await createProject(people.owner.client, projectBody({ name: `${tag}${what}` }));
      projects.push({ id: project.id, name: project.name });
    }
    // A file waiting for review on the first project, for the 经办工作量 counts.
    await upload(people.owner.client, projects[0]!.id, 'proposal');
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

  it('lets staff pick projects in the list and name their leader and 经办人 at once, showing what came of it', async () => {
    const staff = await open();
    await staff.signInAt('/projects', people.staffA.username, people.staffA.password);
    await staff.goto(`/projects?q=${encodeURIComponent(tag)}`);
    const list = staff.byTest('project-list');
    for (const p of projects.slice(0, 2)) await list.locator('.el-table__row', { hasText: p.name }).locator('.el-checkbox').click();
    await staff.waitForText(staff.byTest('picked'), '已选 2 项');
    await staff.byTest('assign-selected').click();
    const form = staff.byTest('bulk-responsibility-form');
    await form.waitFor();
    // Nothing chosen: said beside the field, nothing sent.
    await staff.byTest('bulk-save').click();
    await staff.waitForText(form.locator('.el-form-item', { hasText: '包联领导' }), '请选择包联领导或发改局经办人');
    await choose(staff, staff.byTest('bulk-leader'), names.leader);
    await choose(staff, staff.byTest('bulk-staff'), names.staffA);
    await staff.byTest('bulk-save').click();
    await form.waitFor({ state: 'hidden' });

    const result = staff.byTest('bulk-result');
    await staff.waitForText(result, `已为 2 个项目明确包联领导 ${names.leader}、经办人 ${names.staffA}`);
    await staff.waitForText(result, projects[0]!.name);
    await staff.waitForText(result, projects[1]!.name);
    await staff.screenshot('bulk-responsibility');
    for (const p of projects.slice(0, 2)) expect(await responsibilityOf(p.id)).to.include({ leaderId: people.leader.id, staffId: people.staffA.id });
    expect(await responsibilityOf(projects[2]!.id)).to.not.have.property('leaderId');
  });

  it('lets another member of staff take a handled project over only with a reason, and an unhandled one at once (接办)', async () => {
    const staff = await open();
    await staff.signInAt(`/projects/${projects[0]!.id}`, people.staffB.username, people.staffB.password);
    await staff.waitForText(staff.byTest('responsibility-staff'), names.staffA);
    await staff.byTest('responsibility-take').click();
    const dialog = staff.byTest('responsibility-take-form');
    await staff.waitForText(dialog, `本项目现由${names.staffA}经办`);
    await staff.byTest('responsibility-take-confirm').click();
    await staff.waitForText(dialog.locator('.el-form-item', { hasText: '接办理由' }), '转交或取消经办人须说明理由');
    await dialog.locator('textarea[name=reason]').fill('原经办人借调市发改委');
    await staff.byTest('responsibility-take-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    await staff.waitForText(staff.byTest('responsibility-staff'), names.staffB);
    // Taken: the button is gone for the one who handles it now.
    expect(await staff.byTest('responsibility-take').count()).to.equal(0);
    expect(await responsibilityOf(projects[0]!.id)).to.include({ staffId: people.staffB.id, leaderId: people.leader.id });
    const entry = (await historyOf(people.staffB.client, projects[0]!.id)).at(-1);
    expect(entry).to.include({ event: 'RESPONSIBILITY', reason: '原经办人借调市发改委', actorId: people.staffB.id });

    // Nobody handles the third project yet: 接办 takes it at once, without a dialog.
    await staff.goto(`/projects/${projects[2]!.id}`);
    await staff.waitForText(staff.byTest('responsibility-staff'), '—');
    await staff.byTest('responsibility-take').click();
    await staff.waitForText(staff.byTest('responsibility-staff'), names.staffB);
    expect(await staff.byTest('responsibility-take-form').filter({ visible: true }).count()).to.equal(0);
    expect(await responsibilityOf(projects[2]!.id)).to.include({ staffId: people.staffB.id });
    await staff.screenshot('responsibility-taken');
  });

  it('shows 经办工作量 from the menu with the API’s counts, each name opening that person’s projects', async () => {
    const staff = opened.at(-1)!;
    await staff.page.locator('.el-menu-item', { hasText: '经办工作量' }).click();
    await staff.page.waitForURL('**/review-load');
    const load = (await people.staffB.client.get('/api/stats/review-load')).body;
    const mine = load.staff.find((s: { staffId: string }) => s.staffId === people.staffB.id);
    expect(mine).to.include({ projects: 2, name: names.staffB });
    expect(mine.files.waiting).to.equal(1);
    const row = staff.byTest('review-load').locator('.el-table__row', { has: staff.page.locator(`[data-staff-id="${people.staffB.id}"]`) });
    await staff.waitForText(row, names.staffB);
    expect(await row.locator('td').nth(1).innerText()).to.equal(String(mine.projects));
    expect(await row.locator('[data-test=load-reviews]').innerText()).to.equal(String(mine.reviews.waiting));
    expect(await row.locator('[data-test=load-files]').innerText()).to.equal(String(mine.files.waiting));
    expect(await row.locator('[data-test=load-files-overdue]').innerText()).to.equal(String(mine.files.overdue));
    expect(load.unassigned.projects).to.be.at.least(1);
    await staff.waitForText(staff.byTest('review-load').locator('.el-table__row').last(), '尚无经办人');
    await staff.screenshot('review-load');

    await row.getByRole('link', { name: names.staffB }).click();
    await staff.page.waitForURL(`**/projects?staffId=${people.staffB.id}`);
    await staff.waitForText(staff.byTest('filter-staffId'), `发改局经办人：${names.staffB}`);
    const list = staff.byTest('project-list');
    await staff.waitForText(list, projects[0]!.name);
    await staff.waitForText(list, projects[2]!.name);
    expect(await list.locator('.el-table__row', { hasText: projects[1]!.name }).count()).to.equal(0);
  });

  it('shows 经办工作量 to a leader on a phone as cards, without sideways scrolling', async () => {
    const leader = await open(PHONE);
    await leader.signInAt('/review-load', people.leader.username, people.leader.password);
    const card = leader.page.locator(`[data-test=review-load-row][data-staff-id="${people.staffB.id}"]`);
    await leader.waitForText(card, '经办 2 个项目');
    await leader.waitForText(card, '待审材料 1');
    // The header's menu scrolls sideways on purpose on a phone (App.vue); the page itself must not.
    const sideways = (await sidewaysScrolling(leader)).filter((found) => !/el-menu/.test(found));
    expect(sideways).to.deep.equal([]);
    await leader.screenshot('phone-review-load');
  });

  it('lets the unit attach files on a phone as it raises a problem, listed with the problem for staff to download', async () => {
    const owner = await open(PHONE);
    await owner.signInAt(`/projects/${projects[1]!.id}`, people.owner.username, people.owner.password);
    await owner.byTest('problem-raise').click();
    const form = owner.byTest('problem-form');
    await form.waitFor();
    await choose(owner, owner.byTest('problem-category'), '征地拆迁');
    await form.locator('textarea[name=description]').fill('沿线 3 户未签拆迁协议');
    const letter = minimalPdf(unique('letter'));
    await owner.page.setInputFiles('[data-test=problem-attachments-upload] input[type=file]', [
      { name: '拆迁情况说明.pdf', mimeType: 'application/pdf', buffer: letter },
      { name: '现场照片.pdf', mimeType: 'application/pdf', buffer: minimalPdf(unique('site')) },
    ]);
    await form.locator('.el-upload-list__item.is-success').nth(1).waitFor();
    expect((await sidewaysScrolling(owner)).filter((found) => !/el-menu/.test(found)), 'problem form on a phone').to.deep.equal([]);
    await owner.screenshot('phone-problem-attachments-form', false);
    await owner.byTest('problem-submit').click();
    await form.waitFor({ state: 'hidden' });
    const item = owner.byTest('problem-panel').locator('[data-test=problem-item]', { hasText: '沿线 3 户未签拆迁协议' });
    await owner.waitForText(item, '附件 2 个');
    await owner.waitForText(item.locator('[data-test=problem-attachments]'), '拆迁情况说明.pdf');
    await owner.screenshot('problem-attachments');

    const staff = opened[1]!;
    await staff.goto(`/projects/${projects[1]!.id}`);
    const seen = staff.byTest('problem-panel').locator('[data-test=problem-item]', { hasText: '沿线 3 户未签拆迁协议' });
    await seen.locator('[data-test=problem-toggle]').click();
    const link = seen.locator('[data-test=problem-attachment]', { hasText: '拆迁情况说明.pdf' });
    const [download] = await Promise.all([staff.page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).to.equal('拆迁情况说明.pdf');
    expect(Buffer.compare(await readFile(await download.path()), Buffer.from(letter))).to.equal(0);
  });

  it('asks in the bulk form for the reason when some picked projects are handled by someone else, and hands them on with it', async () => {
    const staff = opened[1]!;
    await staff.goto(`/projects?q=${encodeURIComponent(tag)}`);
    const list = staff.byTest('project-list');
    // The second is handled by 经办甲 since the first test; the fourth by nobody.
    for (const p of [projects[1]!, projects[3]!]) await list.locator('.el-table__row', { hasText: p.name }).locator('.el-checkbox').click();
    await staff.byTest('assign-selected').click();
    const form = staff.byTest('bulk-responsibility-form');
    await choose(staff, staff.byTest('bulk-staff'), names.staffB);
    const reason = form.locator('.el-form-item', { hasText: '转交理由' });
    await staff.waitForText(reason, '其中 1 个项目已有其他经办人');
    await staff.byTest('bulk-save').click();
    await staff.waitForText(reason, '转交或取消经办人须说明理由');
    await reason.locator('textarea[name=reason]').fill('按片区重新分工');
    await staff.byTest('bulk-save').click();
    await form.waitFor({ state: 'hidden' });
    await staff.waitForText(staff.byTest('bulk-result'), `已为 2 个项目明确经办人 ${names.staffB}`);
    for (const p of [projects[1]!, projects[3]!]) expect(await responsibilityOf(p.id)).to.include({ staffId: people.staffB.id });
    // The leader named in the first test stays: what the form left empty is left as it was.
    expect(await responsibilityOf(projects[1]!.id)).to.include({ leaderId: people.leader.id });
    expect((await historyOf(people.staffB.client, projects[1]!.id)).at(-1)).to.include({ event: 'RESPONSIBILITY', reason: '按片区重新分工' });
  });
});
