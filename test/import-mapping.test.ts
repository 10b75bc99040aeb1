import { expect } from 'chai';
import type { ApiClient } from './support/client';
import ExcelJS from 'exceljs';
import { bringTo, createOrganisation, createProject, createTeam, expectProblem, getProject, projectBody, unique, type Team } from './support/fixtures';
import { code, LEDGER, ledgerOf as ledgerIn } from './support/project-sheets';

/**
 * A bureau's own ledger mapped onto the project import's template
 * (docs/domain.md, "Importing from a ledger"), through the HTTP API: a sheet
 * with title rows above its headers, its own words for them, its own order,
 * columns the system does not use and no funding sheet. The service asks for
 * a mapping, suggests one, checks rows through it with the ledger's row
 * numbers, refuses a mapping that leaves a required column out, commits all
 * or nothing as before, and remembers the mapping for the next ledger.
 */
const Y = 2044;
const ledgerOf = (rows: Record<string, unknown>[], options: { sheet?: string; extraHeaders?: string[]; total?: boolean } = {}) => ledgerIn(rows, { sheet: `${Y}年重点项目台账`, ...options });

const expectedColumns = Object.fromEntries(LEDGER.filter(([, key]) => key).map(([header, key]) => [key, header]));

function send(client: ApiClient, path: string, bytes: Buffer, fields: Record<string, string> = {}, fileName = `${Y}年重点项目台账.xlsx`) {
  const form = new FormData();
  form.append('kind', 'projects');
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
  return client.request('POST', path, { form });
}

describe('imports: a bureau’s own ledger mapped onto the template', function () {
  this.timeout(180_000);
  let team: Team;
  let staff: ApiClient;
  const orgName = unique('台账单位');

  const project = (overrides: Record<string, unknown> = {}) => ({
    项目名称: unique('台账道路'),
    项目编码: code(),
    建设单位: orgName,
    所属行业: '交通',
    资金渠道: '中央预算内投资',
    '总投资(万元)': 5000,
    '申请资金（万元）': 2000,
    中央预算内资金: 2000,
    地方财政资金: 3000,
    建设年限: `${Y}-${Y + 2}`,
    项目阶段: '储备库',
    备注: '续建',
    联系人: '李工',
    ...overrides,
  });

  before(async () => {
    team = await createTeam();
    staff = team.staff;
    await createOrganisation(team.admin, orgName);
  });

  it('asks for a mapping when a workbook is not laid out like the template', async () => {
    const res = await send(staff, '/api/imports', await ledgerOf([project()]));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.import.needsMapping).to.equal(true);
    expect(res.body.import.rows).to.deep.equal([]);
    expectProblem(await staff.post(`/api/imports/${res.body.import.id}/commit`), 422);
  });

  it('suggests the mapping: the header row under the titles, each template column from the ledger’s words, no funding sheet', async () => {
    const res = await send(staff, '/api/imports/columns', await ledgerOf([project()]));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const { template, sheets, suggested } = res.body;
    expect(template.map((t: any) => [t.sheet, t.required])).to.deep.equal([['项目', true], ['资金记录', false]]);
    expect(template[0].columns.find((c: any) => c.key === 'totalInvestment')).to.deep.equal({ key: 'totalInvestment', header: '总投资（万元）', required: true });
    expect(sheets).to.have.length(1);
    expect(sheets[0].name).to.equal(`${Y}年重点项目台账`);
    expect(sheets[0].headerRow).to.equal(3);
    expect(sheets[0].headers.map((h: any) => h.header)).to.deep.equal(LEDGER.map(([h]) => h));
    expect(sheets[0].headers.find((h: any) => h.header === '总投资(万元)').sample).to.equal('5000');
    expect(suggested['项目']).to.deep.equal({ sheet: `${Y}年重点项目台账`, headerRow: 3, columns: expectedColumns });
    expect(suggested['资金记录'].sheet).to.equal(null);
    expect(res.body.remembered).to.equal(false);
  });

  it('takes a header row chosen on the screen', async () => {
    const res = await send(staff, '/api/imports/columns', await ledgerOf([project()]), { headerRows: JSON.stringify({ [`${Y}年重点项目台账`]: 2 }) });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.sheets[0].headerRow).to.equal(2);
    expect(res.body.sheets[0].headers.map((h: any) => h.header)).to.deep.equal(['填报单位：某某区发展和改革局']);
  });

  const mappingOf = (columns: Record<string, string> = expectedColumns, sheet = `${Y}年重点项目台账`) =>
    JSON.stringify({ 项目: { sheet, headerRow: 3, columns }, 资金记录: { sheet: null, headerRow: 1, columns: {} } });

  it('checks the ledger through the mapping: errors by the ledger’s row numbers, columns named by the template and the ledger', async () => {
    const good = project();
    const bytes = await ledgerOf([good, project({ 建设单位: '查无此单位' }), project({ '总投资(万元)': 6000 })]);
    const res = await send(staff, '/api/imports', bytes, { mapping: mappingOf() });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.import.needsMapping).to.equal(undefined);
    const errors: { row: number; column: string; message: string }[] = res.body.import.errors;
    expect(errors.find((e) => e.row === 5)).to.deep.include({ column: '项目·项目单位〔贵单位列：建设单位〕' });
    expect(errors.find((e) => e.row === 5)!.message).to.contain('查无此单位');
    expect(errors.find((e) => e.row === 6)!.column).to.equal('项目·总投资（万元）〔贵单位列：总投资(万元)〕');
    expect(errors.find((e) => e.row === 6)!.message).to.match(/资金筹措/);
    expect(errors.every((e) => e.row === 5 || e.row === 6), JSON.stringify(errors)).to.equal(true);
  });

  it('refuses a mapping that leaves a required column out, naming it', async () => {
    const { stage: _left, ...columns } = expectedColumns;
    const res = await send(staff, '/api/imports', await ledgerOf([project()]), { mapping: mappingOf(columns) });
    expectProblem(res, 422);
    expect(res.body.errors).to.deep.include({ path: 'mapping.项目.columns.stage', message: '必填列“项目·阶段”没有对应贵单位的列' });
    const elsewhere = await send(staff, '/api/imports', await ledgerOf([project()]), { mapping: mappingOf({ ...expectedColumns, name: '项目全称' }) });
    expectProblem(elsewhere, 422);
    expect(JSON.stringify(elsewhere.body.errors)).to.contain('项目全称');
    const noSheet = await send(staff, '/api/imports', await ledgerOf([project()]), { mapping: mappingOf(expectedColumns, '没有这张表') });
    expectProblem(noSheet, 422);
    expect(JSON.stringify(noSheet.body.errors)).to.contain('没有名为“没有这张表”的工作表');
  });

  it('refuses a mapping over the form’s limit (64 KB) as too long, not as a malformed form', async () => {
    const res = await send(staff, '/api/imports', await ledgerOf([project()]), { mapping: JSON.stringify(JSON.parse(mappingOf()), null, 8).padEnd(70_000, ' ') });
    expectProblem(res, 400);
    expect(res.body.detail).to.equal('上传的表单中有一项内容过长');
  });

  it('refuses a mapping that is not JSON or not of its shape with a 422', async () => {
    for (const mapping of ['{', '[1]', JSON.stringify({ 项目: { sheet: 1, headerRow: 0, columns: [] } }), JSON.stringify({ 项目: { sheet: 'x', headerRow: 3, columns: {} }, 其他: { sheet: null, headerRow: 1, columns: {} } })]) {
      const res = await send(staff, '/api/imports', await ledgerOf([project()]), { mapping });
      expectProblem(res, 422);
    }
  });

  describe('a sound ledger', () => {
    const rows = [project({ 项目阶段: '储备库' }), project({ 项目名称: unique('台账学校'), 所属行业: '社会事业' })];
    let bytes: Buffer;

    it('is committed whole through the mapping, its line of totals left out, and again changes nothing', async () => {
      bytes = await ledgerOf(rows, { total: true });
      // A mapping of every column with Chinese names runs to kilobytes: sent laid out, it is well over 1 KB.
      const laidOut = JSON.stringify(JSON.parse(mappingOf()), null, 12);
      expect(Buffer.byteLength(laidOut)).to.be.above(1024);
      const checked = await send(staff, '/api/imports', bytes, { mapping: laidOut });
      expect(checked.status, JSON.stringify(checked.body)).to.equal(201);
      expect(checked.body.import.errors).to.deep.equal([]);
      expect(checked.body.import.rows.map((r: any) => r.row)).to.deep.equal([4, 5]);
      const committed = await staff.post(`/api/imports/${checked.body.import.id}/commit`);
      expect(committed.status, JSON.stringify(committed.body)).to.equal(200);
      const stored = await Promise.all(rows.map(async (row) => {
        const found = (await staff.get(`/api/projects?q=${encodeURIComponent(row.项目编码)}`)).body.items;
        expect(found).to.have.length(1);
        return getProject(staff, found[0].id);
      }));
      expect(stored.map((p) => [p.name, p.stage, p.totalInvestment, p.field])).to.deep.equal([
        [rows[0]!.项目名称, 'reserve', 50_000_000, 'transport'],
        [rows[1]!.项目名称, 'reserve', 50_000_000, 'social'],
      ]);
      expect(stored[0].responsibility).to.deep.include({ contact: '李工' });

      const again = await send(staff, '/api/imports', bytes, { mapping: mappingOf() });
      expect(again.body.import.errors).to.deep.equal([]);
      expect(again.body.import.rows.every((r: any) => r.value.existing)).to.equal(true);
      expect((await staff.post(`/api/imports/${again.body.import.id}/commit`)).status).to.equal(200);
      const after = await Promise.all(stored.map((p) => getProject(staff, p.id)));
      expect(after.map((p) => p.version)).to.deep.equal(stored.map((p) => p.version));
    });
  });

  it('remembers the mapping used, and suggests it for the next ledger of the same shape', async () => {
    // A shape of its own (an extra column), mapped differently from the suggestion: 备注 as 建设内容, 联系人 left out.
    const extraHeaders = ['审批文号'];
    const { contact: _contact, ...columns } = expectedColumns;
    const used = { ...columns, description: '备注' };
    const first = await ledgerOf([project()], { extraHeaders });
    const before = await send(staff, '/api/imports/columns', first);
    expect(before.body.suggested['项目'].columns).to.deep.equal(expectedColumns);
    const checked = await send(staff, '/api/imports', first, { mapping: mappingOf(used) });
    expect(checked.body.import.errors).to.deep.equal([]);

    const nextMonth = await ledgerOf([project(), project()], { sheet: `${Y}年5月台账`, extraHeaders });
    const res = await send(staff, '/api/imports/columns', nextMonth);
    expect(res.body.remembered).to.equal(true);
    expect(res.body.suggested['项目']).to.deep.equal({ sheet: `${Y}年5月台账`, headerRow: 3, columns: used });
    // Another shape is not affected.
    const other = await send(staff, '/api/imports/columns', await ledgerOf([project()]));
    expect(other.body.suggested['项目'].columns).to.deep.equal(expectedColumns);
  });

  it('maps a ledger’s funding sheet too: suggested when it has the columns, its rows checked by its own numbers', async () => {
    const approved = project({ 项目阶段: '已下达投资计划' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await ledgerOf([approved])) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const funds = workbook.addWorksheet('资金下达情况');
    funds.addRow(['资金下达情况表']);
    funds.addRow(['序号', '项目编码', '资金类型', '下达年度', '下达金额(万元)', '批复文号', '下达日期']);
    funds.addRow([1, approved.项目编码, '下达', Y, 1500, `发改投资〔${Y}〕9号`, `${Y}-04-01`]);
    funds.addRow([2, approved.项目编码, '追加下达', Y + 1, '五百', `发改投资〔${Y + 1}〕3号`, `${Y + 1}-04-01`]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());

    const res = await send(staff, '/api/imports/columns', bytes);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.suggested['项目'].sheet).to.equal(`${Y}年重点项目台账`);
    expect(res.body.suggested['资金记录']).to.deep.equal({
      sheet: '资金下达情况',
      headerRow: 2,
      columns: { projectCode: '项目编码', type: '资金类型', year: '下达年度', amount: '下达金额(万元)', docNo: '批复文号', date: '下达日期' },
    });
    const checked = await send(staff, '/api/imports', bytes, { mapping: JSON.stringify(res.body.suggested) });
    expect(checked.status, JSON.stringify(checked.body)).to.equal(201);
    expect(checked.body.import.errors).to.deep.equal([{ row: 4, column: '资金记录·金额（万元）〔贵单位列：下达金额(万元)〕', message: '金额应为数字（万元）' }]);
    // Both template sheets cannot be read from one sheet of the file.
    const twice = await send(staff, '/api/imports', bytes, { mapping: JSON.stringify({ ...res.body.suggested, 资金记录: { ...res.body.suggested['资金记录'], sheet: `${Y}年重点项目台账` } }) });
    expectProblem(twice, 422);
    expect(JSON.stringify(twice.body.errors)).to.contain('不能对应同一个工作表');
  });

  it('reads a two-row header (资金筹措 over its sources) from its lower row, where merged headers above show too', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('项目库');
    sheet.addRow(['项目编码', '项目名称', '总投资', '资金筹措（万元）', null, null, '项目阶段']);
    sheet.addRow([null, null, null, '中央预算内', '专项债', '地方财政', null]);
    for (const range of ['A1:A2', 'B1:B2', 'C1:C2', 'D1:F1', 'G1:G2']) sheet.mergeCells(range);
    sheet.addRow([code(), unique('两行表头'), 900, 300, 0, 600, '储备库']);
    const res = await send(staff, '/api/imports/columns', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.suggested['项目']).to.deep.equal({
      sheet: '项目库',
      headerRow: 2,
      columns: { projectCode: '项目编码', name: '项目名称', totalInvestment: '总投资', funding_centralBudget: '中央预算内', funding_specialBond: '专项债', funding_localFiscal: '地方财政', stage: '项目阶段' },
    });
  });

  it('maps a year-plan ledger the same way: one sheet, its own words, rows by its numbers', async () => {
    const project = await bringTo(team, await createProject(team.owner, projectBody({ name: unique('台账计划项目') })), 'preliminary');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet(`${Y}年计划台账`);
    sheet.addRow([`${Y}年重点项目年度计划`]);
    sheet.addRow(['序号', '项目名称', '年份', '本年计划投资(万元)', '计划开工时间', '备注']);
    sheet.addRow([1, project.name, Y, 1234.5, `${Y}-03-01`, '新开工']);
    sheet.addRow([2, project.name, Y + 1, '一千', null, null]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const form = (fields: Record<string, string>) => {
      const body = new FormData();
      body.append('kind', 'plans');
      for (const [name, value] of Object.entries(fields)) body.append(name, value);
      body.append('file', new Blob([new Uint8Array(bytes)]), '计划台账.xlsx');
      return body;
    };
    const asked = await staff.request('POST', '/api/imports', { form: form({}) });
    expect(asked.body.import.needsMapping).to.equal(true);
    const columns = await staff.request('POST', '/api/imports/columns', { form: form({}) });
    expect(columns.status, JSON.stringify(columns.body)).to.equal(200);
    expect(columns.body.template.map((t: any) => t.sheet)).to.deep.equal(['年度计划']);
    const suggested = columns.body.suggested['年度计划'];
    expect(suggested).to.deep.include({ sheet: `${Y}年计划台账`, headerRow: 2 });
    expect(suggested.columns).to.deep.equal({ name: '项目名称', year: '年份', plannedInvestment: '本年计划投资(万元)', plannedStart: '计划开工时间' });
    const checked = await staff.request('POST', '/api/imports', { form: form({ mapping: JSON.stringify(columns.body.suggested) }) });
    expect(checked.status, JSON.stringify(checked.body)).to.equal(201);
    expect(checked.body.import.rows.map((r: any) => [r.row, r.value.plan])).to.deep.equal([[3, { plannedInvestment: 12_345_000, plannedStart: `${Y}-03-01` }]]);
    expect(checked.body.import.errors).to.deep.equal([{ row: 4, column: '年度计划投资（万元）〔贵单位列：本年计划投资(万元)〕', message: '年度计划投资应为数字（万元）' }]);
  });
});
