import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { ensureWebBuild } from '../../scripts/ensure-web-build';
import { service } from '../support/hooks';
import { adminClient, createOrganisation, getProject, signedInUser, unique, type TestUser } from '../support/fixtures';
import { code, ledgerOf, workbookOf } from '../support/project-sheets';

/** A ledger shape of this test's own: mappings are remembered by the set of headers, and the API tests map the plain shape otherwise. */
const extraHeaders = ['经办科室'];
import { BrowserUser } from './support/browser';
import { launchChromium } from './support/chromium';

/**
 * Importing projects from Excel as staff do it in Chromium, from the project
 * list: the template offered, a workbook with a mistake shown by sheet, row
 * and column with nothing saved, the corrected one previewed, confirmed, and
 * the projects there at their stages.
 */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('importing projects from Excel, in the browser', function () {
  this.timeout(180_000);

  let browser: Browser;
  let baseUrl: string;
  let staff: TestUser;
  let administrator: TestUser;
  const orgName = unique('导入单位');
  const opened: BrowserUser[] = [];

  before(async function () {
    this.timeout(15 * 60_000);
    ensureWebBuild((line) => console.log(`  ${line}`));
    browser = await launchChromium();
    baseUrl = service().url;
    const admin = await adminClient();
    await createOrganisation(admin, orgName);
    staff = await signedInUser(admin, 'staff');
    administrator = await signedInUser(admin, 'admin');
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

  it('previews a workbook’s errors, then imports the corrected one at the stages it gives', async () => {
    const project = (overrides: Record<string, unknown>) => ({
      项目代码: code(), 项目名称: unique('导入道路'), 渠道: '中央预算内投资', 项目单位: orgName, 领域: '交通', '总投资（万元）': 3000, '申请资金（万元）': 1000,
      '资金筹措-中央预算内投资（万元）': 1000, '资金筹措-地方财政资金（万元）': 2000, 起止年限: '2026-2027', 阶段: '储备库', ...overrides,
    });
    const approved = project({ 阶段: '已下达投资计划' });
    const reserve = project({});
    const funds = [{ 项目代码: approved.项目代码, 类型: '下达', 年度: 2026, '金额（万元）': 1000, 文号: '发改投资〔2026〕77号', 日期: '2026-05-01' }];

    const user = await BrowserUser.open(browser, baseUrl, { width: 1440, height: 900 });
    opened.push(user);
    await user.signInAt('/projects', staff.username, staff.password);
    await user.byTest('open-project-import').click();
    const dialog = user.byTest('project-import');
    await dialog.waitFor();
    expect(await user.byTest('project-import-template').getAttribute('href')).to.contain('kind=projects');

    const bad = await workbookOf([approved, { ...reserve, 项目单位: '查无此单位' }], []);
    await user.page.setInputFiles('[data-test=project-import-upload] input[type=file]', { name: '台账（有错误）.xlsx', mimeType: XLSX, buffer: bad });
    await user.waitForText(user.byTest('project-import-failed'), '没有保存任何数据');
    const shown = (await user.byTest('project-import-errors').locator('.el-table__row').allInnerTexts()).join('\n');
    expect(shown).to.contain('项目·项目单位').and.contain('查无此单位');
    expect(shown).to.contain('项目·阶段').and.contain('须有一条“下达”资金记录');
    expect(await user.byTest('project-import-commit').count()).to.equal(0);

    const good = await workbookOf([approved, reserve], funds);
    await user.page.setInputFiles('[data-test=project-import-upload] input[type=file]', { name: '台账.xlsx', mimeType: XLSX, buffer: good });
    await user.waitForText(user.byTest('project-import-checked'), '检查通过：新项目 2 个');
    await user.waitForText(user.byTest('project-import-rows'), approved.项目代码);
    await user.byTest('project-import-commit').click();
    await user.waitForText(user.byTest('project-import-done'), '已导入《台账.xlsx》的 2 个项目');

    const listed = (await staff.client.get(`/api/projects?q=${encodeURIComponent(approved.项目代码)}`)).body.items;
    expect(listed).to.have.length(1);
    const stored = await getProject(staff.client, listed[0].id);
    expect(stored.stage).to.equal('approved');
    expect(stored.approval.amount).to.equal(10_000_000);
    await user.byTest('project-import-rows').getByText(approved.项目名称).click();
    await user.page.waitForURL(`**/projects/${listed[0].id}`);
    await user.waitForText(user.byTest('timeline'), '文件《台账.xlsx》');
  });

  it('maps a ledger’s own columns onto the template, previews its errors by the ledger’s rows, and imports it with the mapping remembered', async () => {
    const project = (overrides: Record<string, unknown>) => ({
      项目名称: unique('台账道路'), 项目编码: code(), 建设单位: orgName, 所属行业: '交通', 资金渠道: '中央预算内投资', '总投资(万元)': 3000, '申请资金（万元）': 1000,
      中央预算内资金: 1000, 地方财政资金: 2000, 建设年限: '2026-2027', 项目阶段: '储备库', 备注: '新建道路 1 公里', 联系人: '赵工', ...overrides,
    });
    const first = project({});
    const second = project({ 建设单位: '查无此单位' });
    const sheet = '2026年重点项目台账';

    const user = await BrowserUser.open(browser, baseUrl, { width: 1440, height: 900 });
    opened.push(user);
    await user.signInAt('/projects', staff.username, staff.password);
    await user.byTest('open-project-import').click();
    await user.byTest('project-import').waitFor();
    const mapped = (header: string) => user.byTest('import-mapping').locator(`.el-select[data-column="${header}"]`);
    /** Maps a template column to one of the ledger's, and waits for its drop-down to close (another would offer the same names). */
    const pick = async (header: string, theirs: string) => {
      await mapped(header).click();
      await user.page.locator('.el-select-dropdown__item:visible', { hasText: theirs }).click();
      await user.waitForText(mapped(header), theirs);
      await user.page.locator('.el-select-dropdown').filter({ visible: true }).first().waitFor({ state: 'hidden' });
    };

    await user.page.setInputFiles('[data-test=project-import-upload] input[type=file]', { name: '重点项目台账.xlsx', mimeType: XLSX, buffer: await ledgerOf([first, second], { sheet, extraHeaders }) });
    await user.waitForText(user.byTest('import-mapping'), '与导入模板不一致');
    await user.waitForText(user.byTest('mapping-source'), '已按列名预填');
    expect(await user.byTest('mapping-项目').locator('[data-test=mapping-header-row] input').inputValue()).to.equal('3');
    await user.waitForText(mapped('项目代码'), '项目编码');
    await user.waitForText(mapped('项目单位'), '建设单位');
    await user.waitForText(mapped('总投资（万元）'), '总投资(万元)');
    await user.waitForText(user.byTest('mapping-项目').locator('.el-table__row', { hasText: '总投资（万元）' }), '3000');
    // A required column left unmapped is flagged, and the service refuses the mapping naming it.
    user.expectFailedRequests(422);
    await mapped('阶段').hover();
    await mapped('阶段').locator('.el-select__clear').click();
    await user.waitForText(user.byTest('mapping-项目').locator('.el-table__row', { hasText: '阶段' }), '必填，请选择贵单位的列');
    await user.byTest('mapping-check').click();
    await user.waitForText(user.byTest('mapping-errors'), '必填列“项目·阶段”没有对应贵单位的列');
    await pick('阶段', '项目阶段');
    // 备注 holds what the works are: staff map it to 建设内容 themselves.
    await pick('建设内容', '备注');
    await user.byTest('mapping-check').click();

    await user.waitForText(user.byTest('project-import-failed'), '没有保存任何数据');
    const shown = (await user.byTest('project-import-errors').locator('.el-table__row').allInnerTexts()).join('\n');
    expect(shown).to.contain('项目·项目单位〔贵单位列：建设单位〕').and.contain('查无此单位');
    expect(shown).to.match(/\b5\b/);
    expect(await user.byTest('import-mapping').count()).to.equal(0);
    // Staff may go back to the mapping of the file just checked: it is the one they used.
    await user.byTest('import-remap').click();
    await user.waitForText(user.byTest('mapping-source'), '上次同样表头的台账');
    await user.waitForText(mapped('建设内容'), '备注');
    await user.byTest('mapping-cancel').click();

    // Corrected, the same ledger comes back mapped as last time.
    await user.page.setInputFiles('[data-test=project-import-upload] input[type=file]', { name: '重点项目台账（改）.xlsx', mimeType: XLSX, buffer: await ledgerOf([first, { ...second, 建设单位: orgName }], { sheet, extraHeaders }) });
    await user.waitForText(user.byTest('mapping-source'), '上次同样表头的台账');
    await user.waitForText(mapped('建设内容'), '备注');
    await user.byTest('mapping-check').click();
    await user.waitForText(user.byTest('project-import-checked'), '检查通过：新项目 2 个');
    await user.byTest('project-import-commit').click();
    await user.waitForText(user.byTest('project-import-done'), '已导入《重点项目台账（改）.xlsx》的 2 个项目');

    const listed = (await staff.client.get(`/api/projects?q=${encodeURIComponent(first.项目编码)}`)).body.items;
    expect(listed).to.have.length(1);
    const stored = await getProject(staff.client, listed[0].id);
    expect([stored.name, stored.stage, stored.totalInvestment, stored.description]).to.deep.equal([first.项目名称, 'reserve', 30_000_000, '新建道路 1 公里']);
  });

  it('offers administrators the same import on their page', async () => {
    const user = await BrowserUser.open(browser, baseUrl, { width: 1440, height: 900 });
    opened.push(user);
    await user.signInAt('/admin', administrator.username, administrator.password);
    await user.page.getByRole('tab', { name: '导入项目' }).click();
    await user.byTest('project-import').waitFor();
    const reserve = { 项目代码: code(), 项目名称: unique('管理员导入'), 渠道: '中央预算内投资', 项目单位: orgName, 领域: '水利', '总投资（万元）': 800, '申请资金（万元）': 300,
      '资金筹措-中央预算内投资（万元）': 300, '资金筹措-业主自筹（万元）': 500, 起止年限: '2026-2027', 阶段: '储备库' };
    await user.page.setInputFiles('[data-test=project-import-upload] input[type=file]', { name: '单位台账.xlsx', mimeType: XLSX, buffer: await workbookOf([reserve], []) });
    await user.byTest('project-import-commit').click();
    await user.waitForText(user.byTest('project-import-done'), '已导入《单位台账.xlsx》的 1 个项目');
    expect((await staff.client.get(`/api/projects?q=${encodeURIComponent(reserve.项目代码)}`)).body.items[0].stage).to.equal('reserve');
  });
});
