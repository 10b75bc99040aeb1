import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { Types } from 'mongoose';
import { Imports } from '../src/imports/import.model';
import { finishCommittedImports } from '../src/imports/imports.service';
import { checkInvariants } from '../src/integrity/invariants';
import { flushHistory } from '../src/projects/history-appender';
import { catalogue } from '../src/projects/catalogue';
import type { ApiClient } from './support/client';
import { service } from './support/hooks';
import { createOrganisation, createProject, createTeam, expectProblem, getProject, historyOf, projectBody, unique, type Team } from './support/fixtures';
import { code, workbookOf } from './support/project-sheets';

/**
 * Projects imported from the bureau's spreadsheets (docs/domain.md, "Importing
 * projects"), through the HTTP API: the template, a workbook with mistakes
 * (each reported by sheet, row and column, nothing saved), a sound one placed
 * at its stages with its money and counted in the funds figures, the same file
 * again (nothing changes), a commit cut off and finished, and `npm run check`
 * clean afterwards.
 */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A year no other test records money in, so the funds figures can be compared whole. */
const Y = 2043;

function upload(client: ApiClient, bytes: Buffer, fileName = '项目台账.xlsx') {
  const form = new FormData();
  form.append('kind', 'projects');
  form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
  return client.request('POST', '/api/imports', { form });
}

async function projectByCode(client: ApiClient, projectCode: string): Promise<any | undefined> {
  const res = await client.get(`/api/projects?q=${encodeURIComponent(projectCode)}`);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  const found = res.body.items.filter((p: any) => p.projectCode === projectCode);
  return found[0] && getProject(client, found[0].id);
}

async function fundsInY(client: ApiClient) {
  const res = await client.get(`/api/stats/funds?from=${Y}&to=${Y + 1}`);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body;
}

describe('imports: projects from the bureau’s spreadsheets', function () {
  this.timeout(180_000);
  let team: Team;
  let staff: ApiClient;
  const orgName = unique('导入测试单位');

  const project = (overrides: Record<string, unknown> = {}) => ({
    项目代码: code(),
    项目名称: unique('示例道路工程'),
    渠道: '中央预算内投资',
    项目单位: orgName,
    领域: '交通',
    建设地点: '城东',
    建设内容: '新建道路 2 公里',
    '总投资（万元）': 5000,
    '申请资金（万元）': 2000,
    '资金筹措-中央预算内投资（万元）': 2000,
    '资金筹措-地方财政资金（万元）': 3000,
    起止年限: `${Y}-${Y + 2}`,
    阶段: '储备库',
    ...overrides,
  });

  before(async () => {
    team = await createTeam();
    staff = team.staff;
    await createOrganisation(team.admin, orgName);
  });

  it('offers a template: a sheet of projects and one of funding records, with examples and drop-downs', async () => {
    const res = await staff.get('/api/imports/template.xlsx?kind=projects');
    expect(res.status, String(res.body)).to.equal(200);
    expect(res.headers.get('content-type')).to.contain(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const projects = workbook.getWorksheet('项目')!;
    const funds = workbook.getWorksheet('资金记录')!;
    const headers = (projects.getRow(1).values as unknown[]).slice(1).map(String);
    expect(headers).to.include.members(['项目代码（必填）', '项目名称（必填）', '渠道（必填）', '项目单位（必填）', '总投资（万元）（必填）', '阶段（必填）', '起止年限（必填）']);
    expect((funds.getRow(1).values as unknown[]).slice(1).map(String)).to.include.members(['项目代码（必填）', '类型（必填）', '金额（万元）（必填）', '文号', '发行批次']);
    expect(projects.actualRowCount).to.be.greaterThan(1);
    expect(funds.actualRowCount).to.be.greaterThan(1);
    // The list columns offer their choices (kept on a hidden sheet).
    const channelColumn = projects.getColumn(headers.indexOf('渠道（必填）') + 1).letter;
    const validation = projects.getCell(`${channelColumn}5`).dataValidation;
    expect(validation?.type).to.equal('list');
    const choices = workbook.getWorksheet('选项')!;
    expect(choices.state).to.equal('hidden');
    expect(JSON.stringify(choices.getSheetValues())).to.contain('中央预算内投资').and.contain('地方政府专项债券').and.contain('实施中');
    // Its examples are sound rows: uploaded as they are, they check without an error.
    const checked = await upload(staff, res.body as Buffer, '项目导入模板.xlsx');
    expect(checked.body.import.errors).to.deep.equal([]);
    expect(checked.body.import.rows).to.have.length(3);
  });

  it('reports every mistake by sheet, row and column, in the project form’s words, and saves nothing', async () => {
    const good = project();
    const duplicate = good.项目代码;
    const rows = [
      good, // row 2
      project({ 项目代码: '2024-330102-48-01' }), // 3: malformed code
      project({ 项目单位: '没有这个单位' }), // 4
      project({ '总投资（万元）': 6000 }), // 5: funding does not add up
      project({ '申请资金（万元）': 2000.00005, '资金筹措-中央预算内投资（万元）': 2000.00005 }), // 6: below one yuan
      project({ 阶段: '实施中' }), // 7: under way without the approval
      project({ 项目代码: duplicate }), // 8
      project({ 起止年限: `${Y + 2}-${Y}` }), // 9
      project({ 联系电话: '12345' }), // 10
    ];
    const res = await upload(staff, await workbookOf(rows, [
      { 项目代码: '2024-330102-48-01-999998', 类型: '下达', 年度: Y, '金额（万元）': 10, 文号: 'X〔1〕1号', 日期: `${Y}-03-01` }, // 2: nowhere
      { 项目代码: good.项目代码, 类型: '拨款', '金额（万元）': 10, 日期: `${Y}-03-01` }, // 3: no such type
      { 项目代码: good.项目代码, 类型: '下达', 年度: Y, '金额（万元）': 10, 日期: `${Y}-03-01` }, // 4: reserve has no money; no docNo
    ]));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const errors: { row: number; column: string; message: string }[] = res.body.import.errors;
    const at = (column: string, row: number) => errors.filter((e) => e.column === column && e.row === row).map((e) => e.message).join('；');
    expect(at('项目·项目代码', 3)).to.contain('项目代码');
    expect(at('项目·项目单位', 4)).to.contain('没有名为“没有这个单位”的单位');
    expect(at('项目·总投资（万元）', 5)).to.match(/资金筹措/);
    expect(at('项目·申请资金（万元）', 6)).to.equal('金额最多精确到元（万元最多四位小数）');
    expect(at('项目·阶段', 7)).to.contain('须有一条“下达”资金记录');
    expect(at('项目·项目代码', 8)).to.contain('与第 2 行的项目代码相同');
    expect(at('项目·起止年限', 9)).to.equal('完工年份不能早于开工年份');
    expect(at('项目·联系电话', 10)).to.contain('请填写正确的手机号或座机号');
    expect(at('资金记录·项目代码', 2)).to.contain('既不在“项目”表中，也不在系统中');
    expect(at('资金记录·类型', 3)).to.contain('类型应为');
    expect(at('资金记录·文号', 4)).to.not.equal('');
    expect(res.body.import.rows).to.deep.equal([]);
    // Nothing saved, and the import cannot be committed.
    expect(await projectByCode(staff, good.项目代码)).to.equal(undefined);
    expectProblem(await staff.post(`/api/imports/${res.body.import.id}/commit`), 422);
    expect(await projectByCode(staff, good.项目代码)).to.equal(undefined);
  });

  describe('a sound workbook', () => {
    const central = project({ 项目名称: unique('续建道路'), 阶段: '实施中', 责任单位: '区交通局', 联系人: '王工', 联系电话: '0571-88880001' });
    const bond = project({
      项目名称: unique('污水管网'), 渠道: '地方政府专项债券', '申请资金（万元）': 4000, '资金筹措-中央预算内投资（万元）': 0,
      '资金筹措-地方政府专项债券（万元）': 4000, '资金筹措-地方财政资金（万元）': 1000, '存续期项目收益（万元）': 9000, '存续期债券本息（万元）': 6000, 阶段: '已发行',
    });
    const reserve = project({ 项目名称: unique('社区中心') });
    const funds = [
      { 项目代码: central.项目代码, 类型: '下达', 年度: Y, '金额（万元）': 1200.5, 文号: `发改投资〔${Y}〕1号`, 日期: `${Y}-04-01` },
      { 项目代码: central.项目代码, 类型: '追加下达', 年度: Y + 1, '金额（万元）': 799.5, 文号: `发改投资〔${Y + 1}〕2号`, 日期: `${Y + 1}-04-01` },
      { 项目代码: bond.项目代码, 类型: '额度', 年度: Y, '金额（万元）': 3000, 文号: `财预〔${Y}〕3号`, 日期: `${Y}-05-01` },
      { 项目代码: bond.项目代码, 类型: '额度', 年度: Y + 1, '金额（万元）': 1000, 文号: `财预〔${Y + 1}〕4号`, 日期: `${Y + 1}-05-01` },
      { 项目代码: bond.项目代码, 类型: '发行', '金额（万元）': 3000, 日期: `${Y}-07-01`, 发行批次: `${Y}年第一批`, 债券代码: '2305001', '期限（年）': 15, '票面利率（%）': 2.9 },
      { 项目代码: bond.项目代码, 类型: '发行', '金额（万元）': 500, 日期: `${Y + 1}-07-01`, 发行批次: `${Y + 1}年第一批`, 债券代码: '2305002', '期限（年）': 10, '票面利率（%）': 2.5 },
    ];
    let bytes: Buffer;
    let before: any;

    it('is saved whole: each project at its stage with one history entry naming the file, and its money', async () => {
      before = await fundsInY(staff);
      bytes = await workbookOf([central, bond, reserve], funds);
      const checked = await upload(staff, bytes, '区发改局项目台账.xlsx');
      expect(checked.body.import.errors).to.deep.equal([]);
      expect(checked.body.import.rows).to.have.length(3);
      const committed = await staff.post(`/api/imports/${checked.body.import.id}/commit`);
      expect(committed.status, JSON.stringify(committed.body)).to.equal(200);
      expect(committed.body.import.state).to.equal('applied');

      const c = await projectByCode(staff, central.项目代码);
      expect(c.stage).to.equal('implementation');
      expect(c.channel).to.equal('central_budget');
      expect(c.totalInvestment).to.equal(50_000_000);
      expect(c.approval).to.deep.include({ amount: 12_005_000, year: Y, docNo: `发改投资〔${Y}〕1号` });
      expect(c.releases).to.deep.equal([{ no: 2, year: Y + 1, amount: 7_995_000, docNo: `发改投资〔${Y + 1}〕2号`, date: `${Y + 1}-04-01` }]);
      expect(c.responsibility).to.deep.include({ unit: '区交通局', contact: '王工', phone: '0571-88880001' });
      const history = await historyOf(staff, c.id);
      expect(history).to.have.length(1);
      expect(history[0].event).to.equal('IMPORT');
      expect(history[0].to).to.equal('implementation');
      expect(JSON.stringify(history[0])).to.contain('区发改局项目台账.xlsx').and.contain(checked.body.import.id);

      const b = await projectByCode(staff, bond.项目代码);
      expect(b.stage).to.equal('issued');
      expect(b.approval.amount).to.equal(30_000_000);
      expect(b.quotas.map((q: any) => [q.no, q.amount])).to.deep.equal([[2, 10_000_000]]);
      expect(b.issuances.map((i: any) => [i.year, i.amount, i.quota])).to.deep.equal([[Y, 30_000_000, 1], [Y + 1, 5_000_000, 2]]);

      const r = await projectByCode(staff, reserve.项目代码);
      expect(r.stage).to.equal('reserve');
      expect(r.approval).to.equal(undefined);
    });

    it('is counted in the funds figures of each year', async () => {
      const after = await fundsInY(staff);
      const secured = (body: any, year: number, channel: string) => {
        const rows = body.items as any[];
        return rows.filter((x) => x.year === year && x.channel === channel).reduce((sum, x) => sum + x.securedAmount, 0);
      };
      expect(secured(after, Y, 'central_budget') - secured(before, Y, 'central_budget')).to.equal(12_005_000);
      expect(secured(after, Y + 1, 'central_budget') - secured(before, Y + 1, 'central_budget')).to.equal(7_995_000);
      expect(secured(after, Y, 'special_bond') - secured(before, Y, 'special_bond')).to.equal(30_000_000);
      expect(secured(after, Y + 1, 'special_bond') - secured(before, Y + 1, 'special_bond')).to.equal(5_000_000);
    });

    it('imported again, changes nothing: every row matched by its code and left as it is', async () => {
      const versions = await Promise.all([central, bond, reserve].map(async (p) => (await projectByCode(staff, p.项目代码)).version));
      const figures = await fundsInY(staff);
      const checked = await upload(staff, bytes, '区发改局项目台账.xlsx');
      expect(checked.body.import.errors).to.deep.equal([]);
      expect(checked.body.import.rows.every((r: any) => r.value.existing)).to.equal(true);
      const committed = await staff.post(`/api/imports/${checked.body.import.id}/commit`);
      expect(committed.status).to.equal(200);
      const again = await Promise.all([central, bond, reserve].map(async (p) => (await projectByCode(staff, p.项目代码)).version));
      expect(again).to.deep.equal(versions);
      expect(await fundsInY(staff)).to.deep.equal(figures);
    });

    it('leaves `npm run check` with nothing to say about the imported projects', async () => {
      await flushHistory();
      const ids = await Promise.all([central, bond, reserve].map(async (p) => (await projectByCode(staff, p.项目代码)).id));
      const report = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
      expect(report.violations.filter((v) => ids.includes(v.projectId) || v.detail.includes(central.项目代码))).to.deep.equal([]);
    });
  });

  it('saves nothing when a project took one of the codes between the upload and the commit', async () => {
    const rows = [project(), project()];
    const checked = await upload(staff, await workbookOf(rows, []));
    expect(checked.body.import.errors).to.deep.equal([]);
    const byHand = await createProject(team.owner, projectBody({ projectCode: rows[1]!.项目代码 }));
    const refused = await staff.post(`/api/imports/${checked.body.import.id}/commit`);
    expectProblem(refused, 422);
    expect(JSON.stringify(refused.body)).to.contain('第3行').and.contain(byHand.name);
    expect(await projectByCode(staff, rows[0]!.项目代码)).to.equal(undefined);
  });

  it('finishes a commit cut off after its commit point, without doubles', async () => {
    const rows = [project(), project()];
    const checked = await upload(staff, await workbookOf(rows, []));
    expect(checked.body.import.errors).to.deep.equal([]);
    const id = new Types.ObjectId(String(checked.body.import.id));
    const user = staff.user!;
    await Imports.collection.updateOne({ _id: id }, { $set: { state: 'committed', committedAt: new Date(), committedBy: { id: user.id, username: user.username, displayName: '测试', role: 'staff' } } });
    expect(await finishCommittedImports()).to.be.at.least(1);
    // As if it had stopped again before marking itself done: once more saves nothing twice.
    await Imports.collection.updateOne({ _id: id }, { $set: { state: 'committed' } });
    expect(await finishCommittedImports()).to.be.at.least(1);
    for (const row of rows) {
      const res = await staff.get(`/api/projects?q=${encodeURIComponent(row.项目代码)}`);
      expect(res.body.items.filter((p: any) => p.projectCode === row.项目代码)).to.have.length(1);
    }
    // As if a first attempt had stored a project and stopped before the service took note of it.
    const stored = await projectByCode(staff, rows[0]!.项目代码);
    catalogue.reset(catalogue.rows().filter((row) => row.id !== stored.id));
    await Imports.collection.updateOne({ _id: id }, { $set: { state: 'committed' } });
    expect(await finishCommittedImports()).to.be.at.least(1);
    const again = await projectByCode(staff, rows[0]!.项目代码);
    expect(again.version).to.equal(1);
    expect(again.updatedAt).to.equal(stored.updatedAt);
  });
});
