import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { Types } from 'mongoose';
import { Imports } from '../src/imports/import.model';
import { finishCommittedImports } from '../src/imports/imports.service';
import type { ApiClient } from './support/client';
import { advance, bringTo, createProject, createTeam, expectProblem, getProject, historyOf, projectBody, type Team } from './support/fixtures';

/**
 * Year plans imported from Excel: the template staff download, a sheet with
 * mistakes (every one reported by row and column, nothing saved), a sound one
 * (all saved), a commit refused when a project ended meanwhile (nothing saved),
 * and an import cut off after its commit point finished at the next start.
 */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const YEAR = 2031;

async function workbookOf(bytes: Buffer) {
  const workbook = new ExcelJS.Workbook();
  // exceljs types its input as the pre-generic Buffer.
  await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return workbook;
}

/** A sheet with the template's headers and these rows (values by header). */
async function sheetOf(headers: string[], rows: Record<string, unknown>[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('年度计划');
  sheet.addRow(headers);
  for (const row of rows) sheet.addRow(headers.map((h) => row[h.replace('（必填）', '')] ?? null));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function uploadSheet(client: ApiClient, bytes: Buffer, kind = 'plans', fileName = '年度计划.xlsx') {
  const form = new FormData();
  form.append('kind', kind);
  form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
  return client.request('POST', '/api/imports', { form });
}

describe('imports: year plans from Excel, all or nothing', function () {
  this.timeout(180_000);
  let team: Team;
  let staff: ApiClient;
  let headers: string[];
  let started: any;
  let preparing: any;
  let spare: any;

  before(async () => {
    team = await createTeam();
    staff = team.staff;
    started = await bringTo(team, await createProject(team.owner, projectBody()), 'implementation');
    preparing = await bringTo(team, await createProject(team.owner, projectBody()), 'preliminary');
    spare = await bringTo(team, await createProject(team.owner, projectBody()), 'preliminary');
  });

  it('offers a template listing the projects a plan is set for, with the headers the import reads', async () => {
    const res = await staff.get(`/api/imports/template.xlsx?kind=plans&year=${YEAR}`);
    expect(res.status, String(res.body)).to.equal(200);
    expect(res.headers.get('content-type')).to.contain(XLSX);
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).to.contain(`${YEAR}年年度计划导入模板.xlsx`);
    const workbook = await workbookOf(res.body);
    const sheet = workbook.worksheets[0]!;
    headers = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    expect(headers).to.include.members(['系统编号', '项目名称', '年度（必填）', '重点项目', '年度计划投资（万元）（必填）', '计划开工', '计划竣工']);
    const ids: unknown[] = [];
    sheet.eachRow((row, n) => n > 1 && ids.push(row.getCell(1).value));
    expect(ids).to.include.members([started.id, preparing.id]);
    expect(workbook.getWorksheet('填写说明')).to.not.equal(undefined);
  });

  it('reports every mistake by row and column and saves nothing', async () => {
    const bytes = await sheetOf(headers, [
      { 系统编号: started.id, 年度: YEAR, 重点项目: '市重点', '年度计划投资（万元）': 1200.5, 计划开工: '2031-03-01', 计划竣工: '2032-12-31' },
      { 系统编号: new Types.ObjectId().toString(), 年度: YEAR, '年度计划投资（万元）': 100 },
      { 系统编号: preparing.id, 年度: YEAR, 重点项目: '国家重点', '年度计划投资（万元）': -5 },
      { 系统编号: spare.id, 年度: 1999, '年度计划投资（万元）': 10, 计划开工: '2031-05-01', 计划竣工: '2031-04-01' },
      { 系统编号: started.id, 年度: YEAR, '年度计划投资（万元）': 300 },
    ]);
    const res = await uploadSheet(staff, bytes);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const errors = res.body.import.errors.map((e: any) => [e.row, e.column, e.message]);
    expect(errors).to.deep.include.members([
      [3, '系统编号', '没有这个系统编号的项目，请勿修改模板中的编号'],
      [4, '重点项目', '重点项目应为省重点、市重点、区（县）重点或留空'],
      [4, '年度计划投资（万元）', '金额不能为负数'],
      [5, '年度', '年度应为 2000—2100 之间的年份'],
      [5, '计划竣工', '计划竣工不能早于计划开工'],
      [6, '系统编号', '与第 2 行是同一项，每项只能有一行'],
    ]);
    expect(res.body.import.state).to.equal('checked');
    expectProblem(await staff.post(`/api/imports/${res.body.import.id}/commit`), 422);
    expect((await getProject(staff, started.id)).schedule.plans).to.deep.equal({});
  });

  it('saves every row of a sound sheet once committed, amounts exact to the yuan, and never twice', async () => {
    const bytes = await sheetOf(headers, [
      { 系统编号: started.id, 年度: YEAR, 重点项目: '市重点', '年度计划投资（万元）': 1200.5678, 计划开工: new Date(Date.UTC(2030, 4, 10)), 计划竣工: '2032/12/31' },
      { 项目名称: preparing.name, 年度: YEAR, '年度计划投资（万元）': '3,000', 计划开工: '2031年7月1日' },
    ]);
    const checked = await uploadSheet(staff, bytes);
    expect(checked.status, JSON.stringify(checked.body)).to.equal(201);
    expect(checked.body.import.errors).to.deep.equal([]);
    expect(checked.body.import.rows).to.have.length(2);
    expect((await getProject(staff, started.id)).schedule.plans, 'nothing saved before the commit').to.deep.equal({});

    const committed = await staff.post(`/api/imports/${checked.body.import.id}/commit`);
    expect(committed.status, JSON.stringify(committed.body)).to.equal(200);
    expect(committed.body.import.state).to.equal('applied');
    expect((await getProject(staff, started.id)).schedule.plans[String(YEAR)]).to.deep.equal({
      keyLevel: 'city',
      plannedInvestment: 12_005_678,
      plannedStart: '2030-05-10',
      plannedCompletion: '2032-12-31',
    });
    expect((await getProject(staff, preparing.id)).schedule.plans[String(YEAR)]).to.deep.equal({ plannedInvestment: 30_000_000, plannedStart: '2031-07-01' });
    const plans = (await historyOf(staff, started.id)).filter((e) => e.event === 'PLAN');
    expect(plans).to.have.length(1);
    expect(plans[0].data.importId).to.equal(checked.body.import.id);
    expectProblem(await staff.post(`/api/imports/${checked.body.import.id}/commit`), 409);
  });

  it('saves nothing when a project ended between the upload and the commit', async () => {
    const ending = await bringTo(team, await createProject(team.owner, projectBody()), 'reserve');
    const bytes = await sheetOf(headers, [
      { 系统编号: spare.id, 年度: YEAR, '年度计划投资（万元）': 10 },
      { 系统编号: ending.id, 年度: YEAR, '年度计划投资（万元）': 20 },
    ]);
    const checked = await uploadSheet(staff, bytes);
    expect(checked.body.import.errors).to.deep.equal([]);
    await advance(staff, ending, 'REMOVE', { reason: '项目单位放弃建设' });
    const refused = await staff.post(`/api/imports/${checked.body.import.id}/commit`);
    expectProblem(refused, 422);
    expect(JSON.stringify(refused.body)).to.contain('第3行').and.contain('不能再设定计划');
    expect((await getProject(staff, spare.id)).schedule.plans).to.deep.equal({});
  });

  it('finishes an import cut off after its commit point, saving only the rows not yet saved', async () => {
    const bytes = await sheetOf(headers, [
      { 系统编号: spare.id, 年度: YEAR, '年度计划投资（万元）': 50 },
      { 系统编号: started.id, 年度: YEAR + 1, '年度计划投资（万元）': 60 },
    ]);
    const checked = await uploadSheet(staff, bytes);
    const id = new Types.ObjectId(String(checked.body.import.id));
    // As if the service stopped right after the commit point and one row.
    const res = await staff.put(`/api/projects/${spare.id}/plans/${YEAR}`, { plannedInvestment: 500_000 });
    expect(res.status).to.equal(200);
    const user = staff.user!;
    await Imports.collection.updateOne({ _id: id }, { $set: { state: 'committed', committedAt: new Date(), committedBy: { id: user.id, username: user.username, displayName: '测试', role: 'staff' } } });
    expect(await finishCommittedImports()).to.be.at.least(1);
    expect((await staff.get(`/api/imports/${id.toString()}`)).body.import.state).to.equal('applied');
    expect((await getProject(staff, started.id)).schedule.plans[String(YEAR + 1)]).to.deep.equal({ plannedInvestment: 600_000 });
    expect((await historyOf(staff, spare.id)).filter((e) => e.event === 'PLAN'), 'the row already saved is not saved again').to.have.length(1);
  });

  it('drops a sheet checked but not committed within 7 days, and says so when it is asked for', async () => {
    const bytes = await sheetOf(headers, [{ 系统编号: spare.id, 年度: YEAR + 2, '年度计划投资（万元）': 70 }]);
    const old = await uploadSheet(staff, bytes);
    const recent = await uploadSheet(staff, bytes);
    await Imports.collection.updateOne({ _id: new Types.ObjectId(String(old.body.import.id)) }, { $set: { createdAt: new Date(Date.now() - 8 * 86_400_000) } });
    expect((await uploadSheet(staff, bytes)).status).to.equal(201);
    const gone = await staff.post(`/api/imports/${old.body.import.id}/commit`, {});
    expectProblem(gone, 404);
    expect(gone.body.title + (gone.body.detail ?? '')).to.contain('7 天内未确认');
    expect((await staff.get(`/api/imports/${recent.body.import.id}`)).body.import.state).to.equal('checked');
  });

  it('refuses what is not an Excel workbook, and whoever may not import plans', async () => {
    expectProblem(await uploadSheet(staff, Buffer.from('项目名称,年度\n某项目,2031\n'), 'plans', '计划.csv'), 415);
    expectProblem(await uploadSheet(team.administrator, await sheetOf(headers, [])), 403);
    expectProblem(await uploadSheet(team.owner, await sheetOf(headers, [])), 403);
    expectProblem(await team.leader.get('/api/imports/template.xlsx?kind=plans'), 403);
    const missing = await uploadSheet(staff, await sheetOf(['项目名称'], [{ 项目名称: 'x' }]));
    expect(missing.body.import.errors.map((e: any) => e.message)).to.include('缺少“年度”列，请使用导入模板');
  });
});
