import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { ensureWebBuild } from '../../scripts/ensure-web-build';
import type { ApiClient } from '../support/client';
import { adminClient, createOrganisation, createProject, projectBody, signedInUser, unique, type TestUser } from '../support/fixtures';
import { service } from '../support/hooks';
import { BrowserUser } from './support/browser';
import { launchChromium } from './support/chromium';

/**
 * 问题清单 and who answers for a project, in a real browser: a unit raises a
 * problem on its project; staff escalate it with a reason and close it (销号)
 * with the resolution; the 问题清单 page shows it closed with the report
 * sentence; staff name the project's leader, who finds it under 我包联的项目.
 */
describe('problems and responsibility screens in a real browser', function () {
  this.timeout(180_000);

  let browser: Browser;
  let baseUrl: string;
  const opened: BrowserUser[] = [];
  const people = {} as Record<'owner' | 'staff' | 'leader', TestUser>;
  let admin: ApiClient;
  let leaderName = '';
  let projectId = '';
  let unitId = '';
  let projectName = '';
  const description = unique('施工便道占用基本农田，用地手续未批');

  const open = async () => {
    const user = await BrowserUser.open(browser, baseUrl);
    opened.push(user);
    return user;
  };

  /** Picks an option of the Element Plus select in the form item labelled `label` inside `scope`. */
  async function choose(user: BrowserUser, scope: string, label: string, option: string) {
    const select = user.page.locator(`${scope} .el-form-item`, { hasText: label }).locator('.el-select');
    // A click while the dialog still opens can land on the closing dropdown: try again until the select shows it.
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

  before(async function () {
    this.timeout(15 * 60_000); // a fresh machine installs Chromium and builds the web app first
    ensureWebBuild((line) => console.log(`  ${line}`));
    browser = await launchChromium();
    baseUrl = service().url;
    admin = await adminClient();
    const orgId = await createOrganisation(admin);
    unitId = orgId;
    Object.assign(people, {
      owner: await signedInUser(admin, 'owner', orgId),
      staff: await signedInUser(admin, 'staff'),
      leader: await signedInUser(admin, 'leader'),
    });
    // A leader whose name no other test's leader shares, to pick from the directory.
    leaderName = unique('包联领导');
    const renamed = await admin.patch(`/api/users/${people.leader.id}`, { displayName: leaderName });
    expect(renamed.status, JSON.stringify(renamed.body)).to.equal(200);
    const project = await createProject(people.owner.client, projectBody({ name: unique('城北片区棚户区改造项目') }));
    projectId = project.id;
    projectName = project.name;
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

  it('lets the unit raise a problem on its project, refusing an empty description beside the field', async () => {
    const owner = await open();
    await owner.signInAt(`/projects/${projectId}`, people.owner.username, people.owner.password);
    const panel = owner.byTest('problem-panel');
    await panel.waitFor();
    await owner.byTest('problem-raise').click();
    const form = '.el-dialog:visible';
    await choose(owner, form, '问题类别', '用地');
    await owner.byTest('problem-submit').click();
    await owner.waitForText(owner.page.locator(`${form} .el-form-item`, { hasText: '问题描述' }), '请描述问题');

    await owner.page.locator(`${form} textarea[name=description]`).fill(description);
    await owner.page.locator(`${form} input[name=responsibleUnit]`).fill('县自然资源局');
    await owner.byTest('problem-submit').click();
    await owner.screenshot('problem-raised');
    const item = panel.locator('[data-test=problem-item]', { hasText: description });
    await owner.waitForText(item.locator('[data-test=problem-state]'), '未解决');
    await owner.waitForText(item.locator('[data-test=problem-level]'), '区级协调');
    await owner.waitForText(owner.byTest('problem-summary'), '共调度问题项目1个、问题1个，已解决0个');
    // The unit is offered what the API offers it: a note, escalation, closing; not reopening an open problem.
    await item.locator('[data-test=problem-event-NOTE]').waitFor();
    expect(await item.locator('[data-test=problem-event-REOPEN]').count()).to.equal(0);
    await owner.close();
  });

  it('lets staff escalate the problem with a reason and close it with the resolution', async () => {
    const staff = await open();
    await staff.signInAt(`/projects/${projectId}`, people.staff.username, people.staff.password);
    const item = staff.byTest('problem-panel').locator('[data-test=problem-item]', { hasText: description });
    await item.locator('[data-test=problem-toggle]').click();
    await item.locator('[data-test=problem-event-ESCALATE]').click();
    const form = '.el-dialog:visible';
    await staff.byTest('problem-event-submit').click();
    await staff.waitForText(staff.page.locator(`${form} .el-form-item`, { hasText: '理由' }), '请填写理由');
    await choose(staff, form, '提级至', '市级协调');
    await staff.page.locator(`${form} textarea[name=reason]`).fill('涉及基本农田占补平衡，须市级统筹指标');
    await staff.byTest('problem-event-submit').click();
    await staff.waitForText(item.locator('[data-test=problem-level]'), '市级协调');
    await staff.waitForText(item.locator('[data-test=problem-events]'), '涉及基本农田占补平衡');

    await item.locator('[data-test=problem-event-RESOLVE]').click();
    await staff.page.locator(`${form} textarea[name=resolution]`).fill('市自然资源局已批复临时用地');
    await staff.byTest('problem-event-submit').click();
    await staff.waitForText(item.locator('[data-test=problem-state]'), '已销号');
    await staff.waitForText(item.locator('[data-test=problem-events]'), '解决情况：市自然资源局已批复临时用地');
    // A closed problem takes nothing but REOPEN, as the API says.
    await item.locator('[data-test=problem-event-REOPEN]').waitFor();
    expect(await item.locator('[data-test=problem-event-RESOLVE]').count()).to.equal(0);

    const stored = (await people.staff.client.get(`/api/projects/${projectId}/problems`)).body.items[0];
    expect(stored).to.include({ state: 'resolved', level: 'city', resolution: '市自然资源局已批复临时用地' });
  });

  it('shows the problem closed on the 问题清单 page, with the sentence and the ledger for the same filters', async () => {
    const staff = opened.at(-1)!;
    await staff.page.locator('.el-menu-item', { hasText: '问题清单' }).click();
    await staff.page.waitForURL('**/problems');
    await staff.page.locator('.filters .el-select').first().click();
    await staff.page.locator('.el-select-dropdown__item:visible', { hasText: '已销号' }).click();
    await staff.page.waitForURL('**/problems?state=resolved');
    const row = staff.byTest('problem-list').locator('.el-table__row', { hasText: description });
    await staff.waitForText(row, '已销号');
    await staff.waitForText(row, projectName);
    const listed = (await people.staff.client.get('/api/problems?state=resolved')).body;
    await staff.waitForText(staff.byTest('problems-summary'), listed.summary.text);
    expect(listed.summary.text).to.match(/^共调度问题项目\d+个、问题\d+个，已解决\d+个$/);
    expect(await staff.byTest('problem-ledger').getAttribute('href')).to.equal('/api/exports/problems.xlsx?state=resolved');

    // The filters live in the address: opening it again shows the same list.
    await staff.goto('/problems?state=resolved&level=city');
    await staff.waitForText(staff.byTest('problem-list').locator('.el-table__row', { hasText: description }), '市级协调');
  });

  it('lets staff name the leader, who then finds the project under 我包联的项目', async () => {
    const staff = opened.at(-1)!;
    await staff.goto(`/projects/${projectId}`);
    await staff.byTest('responsibility-edit').click();
    const form = '.el-dialog:visible';
    await choose(staff, form, '包联领导', leaderName);
    await staff.page.locator(`${form} input[name=phone]`).fill('12345');
    await staff.byTest('responsibility-save').click();
    await staff.waitForText(staff.page.locator(`${form} .el-form-item`, { hasText: '联系电话' }), '请填写正确的手机号或座机号');
    await staff.page.locator(`${form} input[name=phone]`).fill('13800000000');
    await staff.page.locator(`${form} input[name=contact]`).fill('王建国');
    await staff.byTest('responsibility-save').click();
    await staff.waitForText(staff.byTest('responsibility-leader'), leaderName);
    const project = (await people.staff.client.get(`/api/projects/${projectId}`)).body.project;
    expect(project.responsibility).to.include({ leaderId: people.leader.id, contact: '王建国', phone: '13800000000' });

    const leader = await open();
    await leader.signInAt('/dashboard', people.leader.username, people.leader.password);
    const mine = leader.byTest('leader-projects');
    await leader.waitForText(mine, projectName);
    // A leader reads the project but may not change who answers for it.
    await mine.getByRole('link', { name: projectName }).click();
    await leader.page.waitForURL(`**/projects/${projectId}`);
    await leader.waitForText(leader.byTest('responsibility-leader'), leaderName);
    expect(await leader.byTest('responsibility-edit').count()).to.equal(0);
  });

  it('lets staff issue a reminder letter from what is wrong today, listed in the register with its PDF, and the unit reads it', async () => {
    // The project was to start this January (of the month being collected) and has not.
    const month = (await people.staff.client.get('/api/reminder-letters/suggestions')).body.month as string;
    const year = Number(month.slice(0, 4));
    const planned = await people.staff.client.put(`/api/projects/${projectId}/plans/${year}`, { plannedInvestment: 1_000_000, plannedStart: `${year}-01-01` });
    expect(planned.status, JSON.stringify(planned.body)).to.equal(200);

    const staff = opened[1]!;
    await staff.page.locator('.el-menu-item', { hasText: '提醒函' }).click();
    await staff.page.waitForURL('**/reminder-letters');
    const unit = staff.page.locator(`[data-test=letter-unit][data-org-id="${unitId}"]`);
    await staff.waitForText(unit, projectName);
    await unit.locator('[data-test=letter-issue]').click();
    await staff.waitForText(unit, '请勾选要提醒的事项');
    await unit.locator('[data-test=letter-item-start_missed]').click();
    await unit.locator('[data-test=letter-issue]').click();
    // What is wrong stays on offer while it lasts, now with the letter counted.
    await staff.waitForText(unit, '已发 1 次');

    const letter = (await people.staff.client.get(`/api/reminder-letters?orgId=${unitId}`)).body.items[0];
    expect(letter.items).to.deep.include.members([{ ...letter.items[0], projectId, kind: 'start_missed' }]);
    await staff.page.locator('.el-tabs__item', { hasText: '登记簿' }).click();
    const row = staff.byTest('letter-register').locator('.el-table__row', { hasText: letter.number });
    await staff.waitForText(row, projectName);
    const pdf = await staff.page.request.get(baseUrl + (await row.locator('[data-test=letter-pdf]').getAttribute('href'))!);
    expect(pdf.status()).to.equal(200);
    expect(pdf.headers()['content-type']).to.match(/application\/pdf/);

    // The unit reads its own letters.
    const owner = await open();
    await owner.signInAt('/reminder-letters', people.owner.username, people.owner.password);
    await owner.waitForText(owner.byTest('letter-register').locator('.el-table__row', { hasText: letter.number }), projectName);
  });
});
