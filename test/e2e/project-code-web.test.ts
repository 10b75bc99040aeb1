import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { ensureWebBuild } from '../../scripts/ensure-web-build';
import { service } from '../support/hooks';
import {
  acceptAll, adminClient, bringTo, createOrganisation, createProject, getProject, projectBody, requiredDocuments, signedInUser, uniqueProjectCode, type TestUser,
} from '../support/fixtures';
import { BrowserUser } from './support/browser';
import { launchChromium } from './support/chromium';

/**
 * 项目代码 and the lock while the higher level decides, as people meet them in
 * Chromium: the code typed in the project form and checked beside the field,
 * what still stops an application, the code on the page and in the list's search,
 * and the banner of a project forwarded upward.
 */
describe('the project code and the lock, in the browser', function () {
  this.timeout(180_000);

  let browser: Browser;
  let baseUrl: string;
  const opened: BrowserUser[] = [];
  const people = {} as Record<'owner' | 'staff', TestUser>;

  const open = async () => {
    const user = await BrowserUser.open(browser, baseUrl, { width: 1440, height: 900 });
    opened.push(user);
    return user;
  };

  before(async function () {
    this.timeout(15 * 60_000);
    ensureWebBuild((line) => console.log(`  ${line}`));
    browser = await launchChromium();
    baseUrl = service().url;
    const admin = await adminClient();
    const orgId = await createOrganisation(admin);
    Object.assign(people, { owner: await signedInUser(admin, 'owner', orgId), staff: await signedInUser(admin, 'staff') });
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

  it('says a project needs its code before it applies, checks the code beside the field, and finds the project by it', async () => {
    const team = { owner: people.owner.client, staff: people.staff.client };
    const project = await bringTo(team, await createProject(team.owner, projectBody({ projectCode: undefined })), 'preliminary');
    await acceptAll(team.owner, team.staff, project.id, requiredDocuments.central_budget.preliminary);

    const owner = await open();
    await owner.signInAt(`/projects/${project.id}`, people.owner.username, people.owner.password);
    await owner.waitForText(owner.byTest('submit-blocker'), '请先填写项目代码');
    await owner.waitForText(owner.byTest('project-code-info'), '未填写');

    await owner.page.goto(`${baseUrl}/projects/${project.id}/edit`);
    const field = owner.page.locator('.el-form-item', { has: owner.page.locator('input[name=projectCode]') });
    await owner.page.fill('input[name=projectCode]', '2025-330102-48-01');
    await owner.page.locator('input[name=name]').focus();
    await owner.waitForText(field.locator('.el-form-item__error'), '4-6-2-2-6');
    await owner.page.fill('input[name=projectCode]', '2010-330102-48-01-000123');
    await owner.waitForText(field.locator('.el-form-item__error'), '赋码年份');

    const code = uniqueProjectCode();
    await owner.page.fill('input[name=projectCode]', code);
    await owner.page.click('[data-test=project-form] button[type=submit]');
    await owner.page.waitForURL(new RegExp(`/projects/${project.id}$`));
    await owner.waitForText(owner.byTest('project-code-info'), code);
    expect(await owner.byTest('submit-blocker').count()).to.equal(0);
    expect((await getProject(team.owner, project.id)).projectCode).to.equal(code);

    await owner.page.goto(`${baseUrl}/projects?q=${encodeURIComponent(code.slice(-9))}`);
    await owner.waitForText(owner.byTest('project-list'), project.name);
    await owner.waitForText(owner.byTest('project-list'), code);
  });

  it('refuses, beside the field, a code another project carries', async () => {
    const team = { owner: people.owner.client, staff: people.staff.client };
    const holder = await createProject(team.owner, projectBody());
    const project = await createProject(team.owner, projectBody());
    const owner = await open();
    await owner.signInAt(`/projects/${project.id}/edit`, people.owner.username, people.owner.password);
    await owner.page.fill('input[name=projectCode]', holder.projectCode);
    owner.expectFailedRequests(422);
    await owner.page.click('[data-test=project-form] button[type=submit]');
    const field = owner.page.locator('.el-form-item', { has: owner.page.locator('input[name=projectCode]') });
    await owner.waitForText(field.locator('.el-form-item__error'), `已被项目“${holder.name}”使用`);
  });

  it('shows a forwarded project locked, saying why and until when, with nothing to edit or upload', async () => {
    const team = { owner: people.owner.client, staff: people.staff.client };
    const project = await bringTo(team, await createProject(team.owner, projectBody()), 'submitted');
    for (const person of [people.owner, people.staff]) {
      const user = await open();
      await user.signInAt(`/projects/${project.id}`, person.username, person.password);
      await user.waitForText(user.byTest('locked'), `已于 ${project.applications.at(-1).date} 上报上级`);
      await user.waitForText(user.byTest('locked'), '批复结果');
      expect(await user.page.getByRole('button', { name: '修改信息' }).count(), person.username).to.equal(0);
    }
  });
});
