import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import type { CurrentUser } from '../src/shared/current-user';
import { sendMonthlyReport } from '../src/schedule/schedule.service';
import type { ApiClient } from './support/client';
import { checkTotal, loadWorkbook, readPdf, readSheet, renderPage } from './support/exports';
import { anonymousClient, bringTo, createOrganisation, createProject, createTeam, expectProblem, getProject, projectBody, unique, type Team } from './support/fixtures';

/**
 * The monthly scheduling bulletin (月度调度通报) as PDF and Excel, and the
 * paragraph it opens with. The fixture lies four years back (schedule.test.ts
 * plans two and three years back) in fields no other test uses (能源, and 农业农村
 * for a list long enough to run over pages), so the district's figures for it
 * are this file's alone. Every expected number is worked out here from the
 * fixture, never read from the code under test.
 */
const chinaYear = (at: Date) => Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(at));
const Y = chinaYear(new Date()) - 4;
const mm = (n: number) => `${Y}-${String(n).padStart(2, '0')}`;
const M = 9;
const MONTH = mm(M);
const ARTIFACTS = path.join('test-artifacts', 'schedule-report');
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const compact = (text: string) => text.replace(/\s/g, '');

/** As the bulletin writes amounts: 亿元 with two decimals from one hundred million, else whole 万元 with separators (the fixture's amounts are whole 万元). */
const amount = (yuan: number) => (yuan >= 1e8 ? `${(yuan / 1e8).toFixed(2)}亿元` : `${(yuan / 1e4).toLocaleString('en-US')}万元`);
const pct = (part: number, whole: number) => `${Math.round((part / whole) * 100)}%`;
const wanCell = (yuan: number) => (yuan / 1e4).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

interface Spec {
  key: string;
  org: 'A' | 'B';
  level?: 'province' | 'city' | 'county';
  planned: number;
  start: string;
  startedOn?: string;
  /** Month number → amount; a month in `late` was sent on the 20th of the month after. */
  reports: Record<number, number>;
  late?: number[];
}

const monthly = (from: number, to: number, amount: number) => Object.fromEntries(Array.from({ length: to - from + 1 }, (_, i) => [from + i, amount]));

// Read by a person, at September:
// A1 province, 1.2亿 planned from February, 1,000万 a month: 8,000万 done against 9,000万 due (89%): yellow, behind.
// A2 city, 6,000万 planned from March, never started or reported: red, 7 reports missing.
// A3 not a key project, continuing since last year, 300万 a month against a plan of 2,400万: green.
// B1 county, 4,000万 from April: 800万 a month to June, then 400万; July sent late: yellow.
// B2 not a key project, 400万 planned to start in October: nothing done against 300万 due: red.
const specs: Spec[] = [
  { key: 'A1', org: 'A', level: 'province', planned: 120_000_000, start: `${Y}-02-01`, startedOn: `${Y}-02-15`, reports: monthly(2, 9, 10_000_000) },
  { key: 'A2', org: 'A', level: 'city', planned: 60_000_000, start: `${Y}-03-01`, reports: {} },
  { key: 'A3', org: 'A', planned: 24_000_000, start: `${Y - 1}-06-01`, startedOn: `${Y - 1}-06-10`, reports: monthly(1, 9, 3_000_000) },
  { key: 'B1', org: 'B', level: 'county', planned: 40_000_000, start: `${Y}-04-01`, startedOn: `${Y}-04-10`, reports: { ...monthly(4, 6, 8_000_000), ...monthly(7, 9, 4_000_000) }, late: [7] },
  { key: 'B2', org: 'B', planned: 4_000_000, start: `${Y}-10-01`, reports: {} },
];

/** The test's own arithmetic over the fixture, for month `m` of Y. */
const model = {
  completed: (s: Spec, m: number) => sum(Object.entries(s.reports).flatMap(([month, value]) => (Number(month) <= m ? [value] : []))),
  toDate: (s: Spec, m: number) => Math.round((s.planned * m) / 12),
  startMonth: (s: Spec) => (s.start.startsWith(`${Y}-`) ? Number(s.start.slice(5, 7)) : undefined),
  newStart: (s: Spec) => model.startMonth(s) !== undefined,
  dueToStart: (s: Spec, m: number) => (model.startMonth(s) ?? 13) <= m,
  started: (s: Spec, m: number) => model.dueToStart(s, m) && s.startedOn !== undefined && s.startedOn.slice(0, 7) <= mm(m),
  /** Months of Y up to `m` a report was due for and never came: from the start (or January) on. */
  missing: (s: Spec, m: number) => {
    const from = s.startedOn?.startsWith(`${Y}-`) ? Number(s.startedOn.slice(5, 7)) : s.startedOn ? 1 : (model.startMonth(s) ?? 13);
    return Array.from({ length: Math.max(0, m - from + 1) }, (_, i) => from + i).filter((month) => s.reports[month] === undefined);
  },
  totals(list: Spec[], m: number) {
    const planned = sum(list.map((s) => s.planned));
    const completed = sum(list.map((s) => model.completed(s, m)));
    return {
      projects: list.length,
      newStarts: list.filter(model.newStart).length,
      plannedToStart: list.filter((s) => model.dueToStart(s, m)).length,
      started: list.filter((s) => model.started(s, m)).length,
      plannedInvestment: planned,
      plannedToDate: sum(list.map((s) => model.toDate(s, m))),
      completedInvestment: completed,
      behindPlan: list.filter((s) => model.completed(s, m) < model.toDate(s, m)).length,
      halfYearCompleted: sum(list.map((s) => model.completed(s, 6))),
      halfYearPassed: list.filter((s) => model.completed(s, 6) * 2 >= s.planned).length,
    };
  },
};
const ofOrg = (org: 'A' | 'B') => specs.filter((s) => s.org === org);
const ratingsAtSeptember = { A1: 'yellow', A2: 'red', A3: 'green', B1: 'yellow', B2: 'red' } as const;

describe('monthly scheduling bulletin (月度调度通报): the paragraph, the PDF and the workbook', function () {
  this.timeout(300_000);
  let team: Team;
  let names: Record<string, string>;
  let orgs: Record<'A' | 'B', { id: string; name: string }>;
  const ids = new Map<string, string>();
  const longList: string[] = [];
  let longOrg: string;
  let emptyOrg: string;

  const who = (client: ApiClient): CurrentUser => ({ ...(client.user as CurrentUser), displayName: '测试' });

  async function plan(id: string, body: Record<string, unknown>) {
    const res = await team.staff.put(`/api/projects/${id}/plans/${Y}`, body);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  }

  before(async () => {
    team = await createTeam();
    names = {};
    for (const s of specs) {
      const owner = s.org === 'A' ? team.owner : team.otherOwner;
      const project = await createProject(owner, projectBody({ field: 'energy', name: unique(`能源调度${s.key}分布式光伏及储能电站建设项目`) }));
      ids.set(s.key, project.id);
      names[s.key] = project.name;
      await plan(project.id, { plannedInvestment: s.planned, plannedStart: s.start, ...(s.level ? { keyLevel: s.level } : {}) });
      for (const [month, value] of Object.entries(s.reports).map(([k, v]) => [Number(k), v] as const)) {
        const sentOn = s.late?.includes(month) ? `${mm(month + 1)}-20` : `${month === 12 ? `${Y + 1}-01` : mm(month + 1)}-02`;
        const startsNow = s.startedOn && (s.startedOn.slice(0, 7) === mm(month) || (month === 1 && !s.startedOn.startsWith(`${Y}-`)));
        await sendMonthlyReport(
          who(owner),
          project.id,
          { month: mm(month), completedInvestment: value, progressPercent: 40, progressNote: '主体施工', ...(startsNow ? { startedOn: s.startedOn } : {}) },
          new Date(`${sentOn}T10:00:00+08:00`),
        );
      }
    }
    const a = await getProject(team.owner, ids.get('A1')!);
    const b = await getProject(team.otherOwner, ids.get('B1')!);
    orgs = { A: { id: a.orgId, name: a.orgName }, B: { id: b.orgId, name: b.orgName } };
    // Works under way without a plan for the year: counted as not rated.
    const unplanned = await createProject(team.owner, projectBody({ field: 'energy', name: unique('能源调度未列计划项目') }));
    await bringTo(team, unplanned, 'implementation');

    // Thirty-six projects of one more unit that never started: lists long enough to run over pages.
    longOrg = await createOrganisation(team.admin);
    for (let i = 0; i < 36; i++) {
      const project = await createProject(team.staff, projectBody({ orgId: longOrg, field: 'agriculture', name: unique(`高标准农田建设暨灌区续建配套与节水改造工程第${i + 1}标段`) }));
      await plan(project.id, { keyLevel: 'county', plannedInvestment: 10_000_000, plannedStart: `${Y}-07-01` });
      longList.push(project.name);
    }
    emptyOrg = await createOrganisation(team.admin);
  });

  const stats = async (query: string) => {
    const res = await team.leader.get(`/api/stats/schedule?${query}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body;
  };

  it('writes the paragraph from the month’s figures, as the fixture adds them up', async () => {
    const body = await stats(`month=${MONTH}&field=energy`);
    const t = model.totals(specs, M);
    const unitRate = (org: 'A' | 'B') => model.totals(ofOrg(org), M).completedInvestment / model.totals(ofOrg(org), M).plannedInvestment;
    const [best, worst] = unitRate('A') > unitRate('B') ? [orgs.A, orgs.B] : [orgs.B, orgs.A];
    const halfPassedUnits = (['A', 'B'] as const).filter((org) => model.totals(ofOrg(org), 6).halfYearCompleted * 2 >= model.totals(ofOrg(org), M).plannedInvestment);
    const failing = (['A', 'B'] as const).filter((org) => !halfPassedUnits.includes(org)).map((org) => orgs[org].name);
    const ratings = Object.values(ratingsAtSeptember);
    const count = (r: string) => ratings.filter((x) => x === r).length;
    const missing = specs.map((s) => model.missing(s, M)).filter((m) => m.length > 0);
    const expected =
      `${Y}年1—9月，全区列入${Y}年度计划的能源领域项目${t.projects}个（其中省重点项目1个、市重点项目1个、区（县）重点项目1个），` +
      `年度计划投资${amount(t.plannedInvestment)}，累计完成投资${amount(t.completedInvestment)}，占年度计划的${pct(t.completedInvestment, t.plannedInvestment)}，` +
      `${t.behindPlan}个项目完成投资低于序时进度。` +
      `计划新开工项目${t.newStarts}个，其中计划9月底前开工${t.plannedToStart}个，已开工${t.started}个，开工率${pct(t.started, t.plannedToStart)}，` +
      `${t.plannedToStart - t.started}个项目未按计划开工。` +
      `上半年，${t.projects}个项目中${t.halfYearPassed}个实现“双过半”，1—6月完成投资${amount(t.halfYearCompleted)}，占年度计划的${pct(t.halfYearCompleted, t.plannedInvestment)}，` +
      `全区${t.halfYearCompleted * 2 >= t.plannedInvestment ? '实现' : '未实现'}“双过半”；2个单位中${halfPassedUnits.length}个实现，${failing.join('、')}未实现。` +
      `按红黄绿评定，红色项目${count('red')}个、黄色${count('yellow')}个、绿色${count('green')}个；另有1个实施中项目尚未制定年度计划，未予评定。` +
      `红旗单位：${best.name}；黑旗单位：${worst.name}。` +
      `${missing.length}个项目共${sum(missing.map((m) => m.length))}期月报未报送。`;
    expect(body.summary).to.equal(expected);
    // The same, as a reader checks it: 2.48亿 planned, 1.43亿 done (58%); 2 of the 3 due started (67%); A2's 7 reports missing.
    expect(body.summary).to.contain('年度计划投资2.48亿元，累计完成投资1.43亿元，占年度计划的58%').and.contain('开工率67%').and.contain('1个项目共7期月报未报送');
    expect(body.missingReports).to.include({ count: 1, reports: 7 });
  });

  it('leaves out 双过半 before June, and the flags for one unit', async () => {
    const body = await stats(`month=${mm(5)}&field=energy&orgId=${orgs.B.id}`);
    const t = model.totals(ofOrg('B'), 5);
    // May: B1 did 1,600万 against 1,667万 due (96%, green); B2 is due nothing yet to start but 167万 pro rata (red).
    expect(body.summary).to.equal(
      `${Y}年1—5月，${orgs.B.name}列入${Y}年度计划的能源领域项目${t.projects}个（其中区（县）重点项目1个），` +
        `年度计划投资${amount(t.plannedInvestment)}，累计完成投资${amount(t.completedInvestment)}，占年度计划的${pct(t.completedInvestment, t.plannedInvestment)}，` +
        `${t.behindPlan}个项目完成投资低于序时进度。` +
        `计划新开工项目${t.newStarts}个，其中计划5月底前开工${t.plannedToStart}个，已开工${t.started}个，开工率${pct(t.started, t.plannedToStart)}。` +
        `按红黄绿评定，红色项目1个、黄色0个、绿色1个。各项目月报均已报送。`,
    );
    expect(body.summary).not.to.match(/双过半|红旗|黑旗/);
  });

  it('says in words when nothing is planned, names January alone, and never prints a missing number', async () => {
    const empty = await stats(`month=${mm(3)}&orgId=${emptyOrg}`);
    expect(empty.summary).to.match(new RegExp(`^${Y}年1—3月，.+尚无列入${Y}年度计划的项目。$`));
    const yearBefore = await stats(`month=${Y - 1}-03&field=energy`);
    expect(yearBefore.summary).to.equal(`${Y - 1}年1—3月，全区尚无列入${Y - 1}年度计划的能源领域项目。1个实施中项目尚未制定年度计划，未予评定。`);
    const january = await stats(`month=${mm(1)}&field=energy&orgId=${orgs.A.id}`);
    expect(january.summary.startsWith(`${Y}年1月，${orgs.A.name}`)).to.equal(true);
    // January: only A3 reported (300万); A1 starts in February, so nothing is due to start yet.
    expect(january.summary).to.contain(`累计完成投资300万元`).and.contain('计划新开工项目2个，均未到计划开工时间。');
    const provincial = await stats(`month=${MONTH}&field=energy&keyLevel=province`);
    expect(provincial.summary).to.contain('列入' + Y + '年度计划的能源领域省重点项目1个，').and.not.contain('（其中');
    for (const text of [empty, yearBefore, january, provincial].map((b) => b.summary as string)) {
      expect(text).not.to.match(/NaN|undefined|null|Infinity|开工率%|\d+%%|0个…|，，|。。/);
    }
  });

  describe('PDF', () => {
    let bytes: Buffer;
    let read: Awaited<ReturnType<typeof readPdf>>;
    let api: any;

    before(async () => {
      api = await stats(`month=${MONTH}&field=energy`);
      const res = await team.staff.get(`/api/exports/schedule.pdf?month=${MONTH}&field=energy`, { timeoutMs: 120_000 });
      expect(res.status, String(res.body)).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^application\/pdf/);
      expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).to.contain(`月度调度通报-${MONTH}.pdf`);
      bytes = res.body as Buffer;
      read = await readPdf(bytes);
    });

    it('opens with the title, the period and the paragraph, in extractable text', () => {
      const first = compact(read.pages[0]!.text);
      expect(first).to.contain(`${Y}年1—9月重点项目调度通报`);
      expect(first).to.contain(`数据统计至${Y}年9月底`);
      expect(compact(read.text)).to.contain(compact(api.summary));
      expect(read.info.Title).to.equal(`${Y}年1—9月重点项目调度通报`);
    });

    it('gives the figures by level and by unit in 万元, with 红黑旗 and 双过半, adding up to the totals', () => {
      const text = compact(read.text);
      const t = model.totals(specs, M);
      // 合计 of the table by level: 5 projects, 4 new, 3 due, 2 started, 67%, 24,800.00 and 14,300.00 万元, 58%, 3 behind.
      expect(text).to.contain(`合计${t.projects}${t.newStarts}${t.plannedToStart}${t.started}67%${wanCell(t.plannedInvestment)}${wanCell(t.completedInvestment)}58%${t.behindPlan}`);
      expect(text).to.contain('24,800.0014,300.00');
      for (const org of ['A', 'B'] as const) {
        const u = model.totals(ofOrg(org), M);
        expect(text, org).to.contain(`${orgs[org].name}${u.projects}${u.newStarts}${u.plannedToStart}${u.started}`);
        expect(text, org).to.contain(`${wanCell(u.plannedInvestment)}${wanCell(u.completedInvestment)}`);
      }
      expect(text).to.match(new RegExp(`${orgs.B.name}.*实现红旗`));
      expect(text).to.match(new RegExp(`${orgs.A.name}.*未实现黑旗`));
    });

    it('lists the red and yellow projects with their reasons, those not started and the reports missing', () => {
      const text = compact(read.text);
      for (const key of ['A1', 'A2', 'B1', 'B2']) expect(text, key).to.contain(compact(names[key]!));
      expect(text).to.contain('计划3月开工，至今未开工');
      expect(text).to.contain('7月月报逾期报送');
      expect(text).to.contain('绿色项目1个，不再列出');
      expect(text).to.contain(`附表3未按计划开工项目（1个）`);
      expect(text).to.contain(`${compact(names.A2!)}${orgs.A.name}市重点${Y}年3月1日${wanCell(60_000_000)}0.00红`);
      expect(text).to.contain('附表4月报未报送项目（1个，7期）');
      expect(text).to.contain('3月、4月、5月、6月、7月、8月、9月7红');
    });

    it('keeps the summary upright and turns the appended tables landscape, all within the margins', async () => {
      expect(read.pages[0]!.width).to.be.closeTo(595.28, 0.5);
      expect(read.pages.length).to.be.at.least(2);
      const total = read.pages.length;
      read.pages.forEach((page, i) => {
        if (i > 0) expect(page.width, `page ${i + 1}`).to.be.closeTo(841.89, 0.5);
        expect(page.text, `page ${i + 1}`).to.include(`第 ${i + 1} 页 共 ${total} 页`);
        for (const item of page.items.filter((it) => it.str.trim())) {
          expect(item.x, `"${item.str}" on page ${i + 1}`).to.be.at.least(60);
          expect(item.x + item.width, `"${item.str}" on page ${i + 1}`).to.be.at.most(page.width - 60);
        }
      });
      await mkdir(ARTIFACTS, { recursive: true });
      for (let n = 1; n <= total; n++) {
        const png = await renderPage(bytes, n);
        // A page with a table on it: a blank or glyphless page compresses to a few kilobytes.
        expect(png.length, `page ${n}`).to.be.above(40_000);
        await writeFile(path.join(ARTIFACTS, `energy-page-${n}.png`), png);
      }
    });

    it('runs long lists over pages with the header row repeated', async () => {
      const res = await team.leader.get(`/api/exports/schedule.pdf?month=${MONTH}&field=agriculture&orgId=${longOrg}`, { timeoutMs: 120_000 });
      expect(res.status).to.equal(200);
      const long = await readPdf(res.body as Buffer);
      const text = compact(long.text);
      for (const name of longList) expect(text).to.contain(compact(name));
      const withHeader = long.pages.map((p, i) => (compact(p.text).includes('评定理由') ? i : -1)).filter((i) => i >= 0);
      expect(withHeader.length, 'the red list runs over more than one page').to.be.at.least(2);
      expect(withHeader.at(-1)! - withHeader[0]!).to.equal(withHeader.length - 1);
      await writeFile(path.join(ARTIFACTS, `long-page-${withHeader[1]! + 1}.png`), await renderPage(res.body as Buffer, withHeader[1]! + 1));
    });
  });

  describe('Excel', () => {
    let workbook: Awaited<ReturnType<typeof loadWorkbook>>;
    let api: any;

    before(async () => {
      api = await stats(`month=${MONTH}&field=energy`);
      const res = await team.leader.get(`/api/exports/schedule.xlsx?month=${MONTH}&field=energy`);
      expect(res.status, String(res.body)).to.equal(200);
      expect(res.headers.get('content-type')).to.contain('spreadsheetml');
      expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).to.contain(`月度调度通报-${MONTH}.xlsx`);
      workbook = await loadWorkbook(res.body);
    });

    const sheet = (name: string) => readSheet(workbook.getWorksheet(name)!);

    it('has the summary sheet and one sheet per table', () => {
      expect(workbook.worksheets.map((w) => w.name)).to.deep.equal(['汇总', '按级别', '按单位', '红黄绿', '未按计划开工', '未报月报']);
      const summary = workbook.getWorksheet('汇总')!;
      const values = new Map<string, unknown>();
      summary.eachRow((row) => values.set(String(row.getCell(1).value), row.getCell(2).value));
      expect(summary.getCell('A1').value).to.equal(`${Y}年1—9月重点项目调度通报`);
      expect(values.get('综述')).to.equal(api.summary);
      expect(values.get('列入年度计划项目数')).to.equal(specs.length);
      expect(values.get('累计完成投资（万元）')).to.be.closeTo(model.totals(specs, M).completedInvestment / 1e4, 1e-9);
      expect(values.get('开工率')).to.be.closeTo(2 / 3, 1e-9);
      expect(values.get('未报送月报期数')).to.equal(7);
      expect(values.get('红旗单位')).to.equal(orgs.B.name);
      expect(values.get('未实现“双过半”的单位')).to.equal(orgs.A.name);
    });

    it('totals the levels and the units to the API’s figures, in 万元', () => {
      for (const book of [sheet('按级别'), sheet('按单位')]) {
        expect(checkTotal(book, '项目数', 'sum')).to.equal(api.projects);
        expect(checkTotal(book, '应开工', 'sum')).to.equal(api.plannedToStart);
        expect(checkTotal(book, '已开工', 'sum')).to.equal(api.started);
        expect(checkTotal(book, '年度计划投资（万元）', 'sum')).to.be.closeTo(api.plannedInvestment / 1e4, 1e-6);
        expect(checkTotal(book, '按序时进度应完成（万元）', 'sum')).to.be.closeTo(api.plannedToDate / 1e4, 1e-6);
        expect(checkTotal(book, '累计完成投资（万元）', 'sum')).to.be.closeTo(api.completedInvestment / 1e4, 1e-6);
        expect(checkTotal(book, '低于序时进度项目数', 'sum')).to.equal(api.behindPlan);
      }
      expect(api.completedInvestment).to.equal(model.totals(specs, M).completedInvestment);
      const units = sheet('按单位');
      expect(checkTotal(units, '单位', 'count')).to.equal(2);
      expect(checkTotal(units, '1—6月完成投资（万元）', 'sum')).to.be.closeTo(model.totals(specs, M).halfYearCompleted / 1e4, 1e-6);
      const row = (org: 'A' | 'B') => units.rows.find((r) => r['单位'] === orgs[org].name)!;
      expect(row('B')).to.include({ 红黑旗: '红旗', 双过半: '实现' });
      expect(row('A')).to.include({ 红黑旗: '黑旗', 双过半: '未实现' });
      expect(units.sheet.getRow(2).getCell(8).numFmt).to.equal('#,##0.00');
    });

    it('lists every rated project, those not started and the reports missing, totalled', () => {
      const rated = sheet('红黄绿');
      const { counts, unrated } = api.ratings;
      expect(checkTotal(rated, '项目名称', 'count')).to.equal(counts.red + counts.yellow + counts.green + unrated);
      expect(checkTotal(rated, '年度计划投资（万元）', 'sum')).to.be.closeTo(api.plannedInvestment / 1e4, 1e-6);
      expect(checkTotal(rated, '累计完成投资（万元）', 'sum')).to.be.closeTo(api.completedInvestment / 1e4, 1e-6);
      for (const [key, rating] of Object.entries(ratingsAtSeptember)) {
        expect(rated.rows.find((r) => r['项目名称'] === names[key])?.['红黄绿'], key).to.equal({ red: '红', yellow: '黄', green: '绿' }[rating]);
      }
      const notStarted = sheet('未按计划开工');
      expect(checkTotal(notStarted, '项目名称', 'count')).to.equal(api.notStarted.count);
      expect(notStarted.rows.map((r) => r['项目名称'])).to.deep.equal([names.A2]);
      const missing = sheet('未报月报');
      expect(checkTotal(missing, '未报送期数', 'sum')).to.equal(api.missingReports.reports);
      expect(missing.rows[0]).to.include({ 项目名称: names.A2, 未报送月报: '3月、4月、5月、6月、7月、8月、9月' });
    });
  });

  it('makes the bulletin of a unit with nothing planned: the paragraph says so, and every table says 无 or is empty', async () => {
    const query = `month=${mm(3)}&orgId=${emptyOrg}`;
    const { summary } = await stats(query);
    const pdf = await team.leader.get(`/api/exports/schedule.pdf?${query}`, { timeoutMs: 120_000 });
    expect(pdf.status, String(pdf.body)).to.equal(200);
    const text = compact((await readPdf(pdf.body as Buffer)).text);
    expect(text).to.contain(compact(summary)).and.contain('附表1各单位完成情况无。').and.contain('附表4月报未报送项目（0个，0期）无。');
    const xlsx = await team.leader.get(`/api/exports/schedule.xlsx?${query}`);
    expect(xlsx.status).to.equal(200);
    const book = await loadWorkbook(xlsx.body);
    for (const name of ['按单位', '红黄绿', '未按计划开工', '未报月报']) expect(readSheet(book.getWorksheet(name)!).rows, name).to.deep.equal([]);
  });

  it('lets only staff and leaders have the bulletin', async () => {
    for (const file of ['schedule.pdf', 'schedule.xlsx']) {
      const route = `/api/exports/${file}?month=${MONTH}&field=energy`;
      expectProblem(await team.owner.get(route), 403);
      expectProblem(await team.administrator.get(route), 403);
      expectProblem(await anonymousClient().get(route), 401);
      expectProblem(await team.staff.get(`/api/exports/${file}?month=${Y}-13`), 400);
    }
  });
});
