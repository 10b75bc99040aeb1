import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { rules } from '../workflows/rules-file';
import { currentScheduleMonth, yearOfMonth } from '../workflows/schedule';
import { chinaDay } from '../workflows/working-days';
import type { ApiClient } from './support/client';
import {
  adminClient,
  advance,
  anonymousClient,
  bringTo,
  createOrganisation,
  expectProblem,
  getProject,
  projectBody,
  review,
  signedInUser,
  unique,
  upload,
  type TestUser,
} from './support/fixtures';

/** A valid special-bond project: the requested amount comes out of the bond share. */
function specialBondBody(overrides: Record<string, unknown> = {}) {
  return projectBody({
    channel: 'special_bond',
    field: 'transport',
    totalInvestment: 200_000_000,
    requestedAmount: 120_000_000,
    funding: { centralBudget: 0, specialBond: 120_000_000, localFiscal: 50_000_000, selfRaised: 30_000_000, other: 0 },
    financing: { projectedRevenue: 180_000_000, debtService: 150_000_000 },
    ...overrides,
  });
}

async function create(client: ApiClient, body: Record<string, unknown>) {
  const res = await client.post('/api/projects', body);
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.project;
}

const pathsOf = (res: { body: any }) => (res.body.errors ?? []).map((e: any) => e.path);
const ids = (res: { body: any }) => res.body.items.map((p: any) => p.id);

describe('projects and access control', function () {
  this.timeout(60_000);
  let admin: ApiClient;
  let orgA: string;
  let orgB: string;
  let ownerA: TestUser;
  let ownerB: TestUser;
  let staff: TestUser;
  let leader: TestUser;

  before(async () => {
    admin = await adminClient();
    orgA = await createOrganisation(admin, unique('区人民医院'));
    orgB = await createOrganisation(admin, unique('城投公司'));
    ownerA = await signedInUser(admin, 'owner', orgA);
    ownerB = await signedInUser(admin, 'owner', orgB);
    staff = await signedInUser(admin, 'staff');
    leader = await signedInUser(admin, 'leader');
  });

  describe('creating', () => {
    it('lets an owner create a draft in their own organisation, whatever orgId the body names', async () => {
      const body = projectBody({ orgId: orgB });
      const res = await ownerA.client.post('/api/projects', body);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const project = res.body.project;
      expect(project.id).to.match(/^[0-9a-f]{24}$/);
      expect(project).to.include({ stage: 'draft', version: 1, orgId: orgA, name: body.name, channel: 'central_budget' });
      expect(project.funding).to.deep.equal(body.funding);
      expect(project.totalInvestment).to.equal(100_000_000);

      const read = await ownerA.client.get(`/api/projects/${project.id}`);
      expect(read.status).to.equal(200);
      expect(read.body.project).to.include({ id: project.id, stage: 'draft', version: 1, orgId: orgA });
      // Organisation B got nothing.
      expect(ids(await ownerB.client.get('/api/projects?limit=200'))).not.to.include(project.id);
    });

    it('lets staff create for a named organisation, and asks for one (422 on orgId) when none or an unknown one is named', async () => {
      const project = await create(staff.client, projectBody({ orgId: orgB }));
      expect(project).to.include({ orgId: orgB, stage: 'draft', version: 1 });

      const name = unique('无单位项目');
      const without = await staff.client.post('/api/projects', projectBody({ name }));
      expectProblem(without, 422);
      expect(pathsOf(without)).to.include('orgId');

      const unknownOrg = await staff.client.post('/api/projects', projectBody({ name, orgId: 'abcdefabcdefabcdefabcdef' }));
      expectProblem(unknownOrg, 422);
      expect(pathsOf(unknownOrg)).to.include('orgId');

      expect((await staff.client.get(`/api/projects?q=${encodeURIComponent(name)}`)).body.total).to.equal(0);
    });

    it('refuses leaders and administrators with 403, and anonymous callers with 401', async () => {
      for (const client of [leader.client, admin]) {
        const name = unique('越权项目');
        expectProblem(await client.post('/api/projects', projectBody({ name, orgId: orgA })), 403);
        expect((await staff.client.get(`/api/projects?q=${encodeURIComponent(name)}`)).body.total).to.equal(0);
      }
      expectProblem(await anonymousClient().post('/api/projects', projectBody({ orgId: orgA })), 401);
      expectProblem(await anonymousClient().get('/api/projects'), 401);
    });
  });

  describe('who sees what', () => {
    let projectA: any;

    before(async () => {
      projectA = await create(ownerA.client, projectBody());
    });

    it('answers 404 to another organisation\'s owner on read, edit and history, and leaves it out of their list', async () => {
      expectProblem(await ownerB.client.get(`/api/projects/${projectA.id}`), 404);
      expectProblem(await ownerB.client.patch(`/api/projects/${projectA.id}`, { name: '篡改的名称', expectedVersion: 1 }), 404);
      expectProblem(await ownerB.client.get(`/api/projects/${projectA.id}/history`), 404);

      const list = await ownerB.client.get('/api/projects?limit=200');
      expect(list.status).to.equal(200);
      expect(ids(list)).not.to.include(projectA.id);
      expect(list.body.items.every((p: any) => p.orgId === orgB)).to.equal(true);
      // Asking for organisation A by filter does not help.
      const filtered = await ownerB.client.get(`/api/projects?orgId=${orgA}&limit=200`);
      expect(filtered.status).to.equal(200);
      expect(ids(filtered)).not.to.include(projectA.id);

      const unchanged = await ownerA.client.get(`/api/projects/${projectA.id}`);
      expect(unchanged.body.project).to.include({ name: projectA.name, version: 1 });
    });

    it('answers 404 the same way for an id that does not exist, and 400 for one that is malformed', async () => {
      const missing = await ownerB.client.get('/api/projects/0123456789abcdef01234567');
      expectProblem(missing, 404);
      const other = await ownerB.client.get(`/api/projects/${projectA.id}`);
      expect(other.body.detail).to.equal(missing.body.detail);
      expectProblem(await staff.client.get('/api/projects/not-an-id'), 400);
    });

    it('shows the owner only their own organisation\'s projects', async () => {
      const list = await ownerA.client.get('/api/projects?limit=200');
      expect(list.status).to.equal(200);
      expect(ids(list)).to.include(projectA.id);
      expect(list.body.items.every((p: any) => p.orgId === orgA)).to.equal(true);
      expect(list.body.total).to.equal(list.body.items.length);
    });

    it('lets staff, leaders and administrators read every project and its history', async () => {
      for (const client of [staff.client, leader.client, admin]) {
        const read = await client.get(`/api/projects/${projectA.id}`);
        expect(read.status, JSON.stringify(read.body)).to.equal(200);
        expect(read.body.project).to.include({ id: projectA.id, orgId: orgA });
        expect((await client.get(`/api/projects/${projectA.id}/history`)).status).to.equal(200);
        expect(ids(await client.get(`/api/projects?orgId=${orgA}&limit=200`))).to.include(projectA.id);
      }
    });

    it('refuses leaders and administrators an edit with 403 and keeps the project as it was', async () => {
      for (const client of [leader.client, admin]) {
        expectProblem(await client.patch(`/api/projects/${projectA.id}`, { name: '领导改的名称', expectedVersion: 1 }), 403);
      }
      const read = await ownerA.client.get(`/api/projects/${projectA.id}`);
      expect(read.body.project).to.include({ name: projectA.name, version: 1 });
    });
  });

  describe('listing', () => {
    const marker = unique('FILTER');
    let orgC: string;
    let pipes: any;
    let bridge: any;
    let reservoir: any;

    before(async () => {
      orgC = await createOrganisation(admin, unique('某某镇人民政府'));
      pipes = await create(staff.client, projectBody({ orgId: orgC, name: `${marker}污水管网`, startYear: 2025, endYear: 2027 }));
      bridge = await create(staff.client, specialBondBody({ orgId: orgC, name: `${marker}跨河大桥`, startYear: 2026, endYear: 2028 }));
      reservoir = await create(
        staff.client,
        projectBody({ orgId: orgC, name: `${marker}水库除险加固`, field: 'water', startYear: 2029, endYear: 2030 }),
      );
    });

    const listC = async (query: string) => {
      const res = await staff.client.get(`/api/projects?orgId=${orgC}&limit=200${query}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return res;
    };

    it('filters by organisation and returns items, total, page and limit', async () => {
      const res = await listC('');
      expect(res.body).to.include({ total: 3, page: 1, limit: 200 });
      expect(ids(res)).to.have.members([pipes.id, bridge.id, reservoir.id]);
      expect(res.body.items[0].orgName).to.be.a('string');
      expect(res.body.items[0]).not.to.have.property('history');
    });

    it('filters by channel, field and stage', async () => {
      expect(ids(await listC('&channel=special_bond'))).to.deep.equal([bridge.id]);
      expect(ids(await listC('&channel=central_budget'))).to.have.members([pipes.id, reservoir.id]);
      expect(ids(await listC('&field=water'))).to.deep.equal([reservoir.id]);
      expect(ids(await listC('&field=transport'))).to.deep.equal([bridge.id]);
      expect((await listC('&stage=draft')).body.total).to.equal(3);
      expect((await listC('&stage=reserve')).body.total).to.equal(0);
      expect(ids(await listC('&channel=central_budget&field=municipal'))).to.deep.equal([pipes.id]);
    });

    it('filters by year: the projects under way in that year', async () => {
      expect(ids(await listC('&year=2025'))).to.deep.equal([pipes.id]);
      expect(ids(await listC('&year=2027'))).to.have.members([pipes.id, bridge.id]);
      expect(ids(await listC('&year=2029'))).to.deep.equal([reservoir.id]);
      expect((await listC('&year=2031')).body.total).to.equal(0);
      expect(ids(await listC('&year=2026&channel=central_budget'))).to.deep.equal([pipes.id]);
    });

    it('searches names with q, case-insensitively, and takes q literally', async () => {
      const all = await staff.client.get(`/api/projects?q=${encodeURIComponent(marker.toLowerCase())}`);
      expect(all.status).to.equal(200);
      expect(ids(all)).to.have.members([pipes.id, bridge.id, reservoir.id]);
      expect(ids(await listC(`&q=${encodeURIComponent('大桥')}`))).to.deep.equal([bridge.id]);
      for (const pattern of ['.*', '(', '[a-z]+', '\\']) {
        const res = await listC(`&q=${encodeURIComponent(pattern)}`);
        expect(res.body.total, pattern).to.equal(0);
      }
    });

    it('pages through the list without repeats', async () => {
      const first = await staff.client.get(`/api/projects?orgId=${orgC}&limit=2&page=1`);
      const second = await staff.client.get(`/api/projects?orgId=${orgC}&limit=2&page=2`);
      const third = await staff.client.get(`/api/projects?orgId=${orgC}&limit=2&page=3`);
      expect(first.body).to.include({ total: 3, page: 1, limit: 2 });
      expect(second.body).to.include({ total: 3, page: 2, limit: 2 });
      expect(first.body.items).to.have.length(2);
      expect(second.body.items).to.have.length(1);
      expect(third.body.items).to.have.length(0);
      expect([...ids(first), ...ids(second)]).to.have.members([pipes.id, bridge.id, reservoir.id]);

      const defaults = await staff.client.get(`/api/projects?orgId=${orgC}`);
      expect(defaults.body).to.include({ page: 1, limit: 20, total: 3 });
    });

    it('refuses limit over 200 and other malformed filters with 400', async () => {
      expect((await staff.client.get('/api/projects?limit=200')).status).to.equal(200);
      for (const query of ['limit=201', 'limit=0', 'page=0', 'page=abc', 'channel=lottery', 'stage=flying', 'field=space', 'orgId=123', 'year=1800']) {
        expectProblem(await staff.client.get(`/api/projects?${query}`), 400);
      }
    });
  });

  describe('lists to work with (issue "What people stumble over in the browser", point 5)', () => {
    let orgD: string;
    let small: any;
    let large: any;
    let planned: any;
    let underWay: any;
    const year = yearOfMonth(currentScheduleMonth(chinaDay(new Date()), rules));

    before(async () => {
      orgD = await createOrganisation(admin, unique('示范镇人民政府'));
      const team = { owner: (await signedInUser(admin, 'owner', orgD)).client, staff: staff.client };
      small = await create(staff.client, projectBody({ orgId: orgD, name: unique('安居小区配套道路'), totalInvestment: 30_000_000, requestedAmount: 10_000_000, funding: { centralBudget: 10_000_000, specialBond: 0, localFiscal: 20_000_000, selfRaised: 0, other: 0 } }));
      large = await create(staff.client, projectBody({ orgId: orgD, name: unique('白沙河综合治理'), field: 'water', totalInvestment: 300_000_000, requestedAmount: 40_000_000, funding: { centralBudget: 40_000_000, specialBond: 0, localFiscal: 260_000_000, selfRaised: 0, other: 0 } }));
      // A plan for the year whose start has passed without works starting: red. Under way without a plan: not rated.
      planned = await create(staff.client, projectBody({ orgId: orgD, name: unique('产业园标准厂房') }));
      const plan = await staff.client.put(`/api/projects/${planned.id}/plans/${year}`, { keyLevel: 'city', plannedInvestment: 12_000_000, plannedStart: `${year}-01-05` });
      expect(plan.status, JSON.stringify(plan.body)).to.equal(200);
      underWay = await bringTo(team, await create(staff.client, projectBody({ orgId: orgD, name: unique('城东供水管网') })), 'implementation');
    });

    const listD = async (query: string) => {
      const res = await staff.client.get(`/api/projects?orgId=${orgD}&limit=200${query}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return res;
    };

    it('sorts by any column shown, either way, and keeps projects without a value last', async () => {
      expect(ids(await listD('&sort=totalInvestment'))[0]).to.equal(small.id);
      expect(ids(await listD('&sort=totalInvestment&order=desc'))[0]).to.equal(large.id);
      const byName = (await listD('&sort=name')).body.items.map((p: any) => p.name);
      expect(byName).to.deep.equal([...byName].sort((a: string, b: string) => a.localeCompare(b, 'zh-CN-u-co-pinyin')));
      for (const order of ['asc', 'desc']) {
        const rated = (await listD(`&sort=rating&order=${order}`)).body.items;
        expect(rated[0].id, order).to.equal(planned.id);
        expect(rated.slice(1).every((p: any) => p.rating === undefined), order).to.equal(true);
      }
      expectProblem(await staff.client.get('/api/projects?sort=secret'), 400);
    });

    it('rates a project against its plan for the year, with its reason, and filters by rating and by key-project level', async () => {
      const listed = (await listD('')).body.items;
      expect(listed.find((p: any) => p.id === planned.id)).to.include({ rating: 'red' });
      expect(listed.find((p: any) => p.id === planned.id).ratingReason).to.contain('至今未开工');
      expect(listed.find((p: any) => p.id === underWay.id)).to.not.have.property('rating');
      expect(listed.find((p: any) => p.id === underWay.id).ratingReason).to.contain(`尚未制定${year}年度计划`);
      expect(listed.find((p: any) => p.id === small.id)).to.not.have.any.keys('rating', 'ratingReason');
      expect(ids(await listD('&rating=red'))).to.deep.equal([planned.id]);
      expect((await listD('&rating=green')).body.total).to.equal(0);
      expect(ids(await listD('&keyLevel=city'))).to.deep.equal([planned.id]);
      expect(ids(await listD(`&keyLevel=city&year=${year - 1}`))).to.deep.equal([]);
      expect((await listD('&keyLevel=province')).body.total).to.equal(0);
      const page = await getProject(staff.client, planned.id);
      expect(page.rating.rating).to.equal('red');
      expect(page.rating.reason).to.equal(listed.find((p: any) => p.id === planned.id).ratingReason);
    });

    it('lists only the rows picked, and refuses more than a page of them', async () => {
      expect(ids(await listD(`&ids=${large.id},${small.id}&sort=totalInvestment`))).to.deep.equal([small.id, large.id]);
      const tooMany = Array.from({ length: 201 }, () => large.id).join(',');
      const refused = await staff.client.get(`/api/projects?ids=${tooMany}`);
      expectProblem(refused, 400);
      expect(refused.body.detail).to.equal('一次最多选择 200 个项目');
    });

    it('exports exactly the list asked for to Excel, in its order, with amounts in 万元; owners only their own', async () => {
      const read = async (client: ApiClient, query: string) => {
        const res = await client.get(`/api/projects/export.xlsx?${query}`);
        expect(res.status, String(res.body)).to.equal(200);
        expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).to.match(/项目清单-\d{4}-\d{2}-\d{2}\.xlsx/);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(res.body as Parameters<typeof workbook.xlsx.load>[0]);
        const sheet = workbook.worksheets[0]!;
        const headers = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
        const rows: Record<string, unknown>[] = [];
        sheet.eachRow((row, n) => {
          const record = Object.fromEntries(headers.map((h, i) => [h, (row.values as unknown[]).slice(1)[i]]));
          if (n > 1 && record['序号'] !== '合计') rows.push(record);
        });
        return rows;
      };
      const listed = (await listD('&sort=totalInvestment&order=desc')).body.items.map((p: any) => p.name);
      const exported = await read(staff.client, `orgId=${orgD}&sort=totalInvestment&order=desc`);
      expect(exported.map((r) => r['项目名称'])).to.deep.equal(listed);
      expect(exported[0]).to.include({ '总投资（万元）': 30_000, '领域': '水利', '红黄绿': undefined });
      expect(exported.find((r) => r['项目名称'] === planned.name)).to.include({ '红黄绿': '红' });
      expect((await read(staff.client, `ids=${small.id}`)).map((r) => r['项目名称'])).to.deep.equal([small.name]);
      expect((await read(ownerA.client, `orgId=${orgD}`)).length).to.equal(0);
      expectProblem(await anonymousClient().get('/api/projects/export.xlsx'), 401);
    });
  });

  describe('validation', () => {
    async function expectInvalid(body: Record<string, unknown>, path: string) {
      const res = await staff.client.post('/api/projects', { orgId: orgA, ...body });
      expectProblem(res, 422);
      expect(res.body.title).to.equal('数据校验未通过');
      expect(res.body.errors, JSON.stringify(res.body)).to.be.an('array').with.length.above(0);
      expect(pathsOf(res), JSON.stringify(res.body)).to.include(path);
      for (const error of res.body.errors) expect(error.message, error.path).to.match(/[\u4e00-\u9fff]/);
      const name = body.name as string;
      expect((await staff.client.get(`/api/projects?q=${encodeURIComponent(name)}`)).body.total, 'nothing was stored').to.equal(0);
      return res;
    }

    it('refuses a funding plan that does not add up to the total investment (path "funding")', async () => {
      await expectInvalid(
        projectBody({ funding: { centralBudget: 40_000_000, specialBond: 0, localFiscal: 30_000_000, selfRaised: 20_000_000, other: 0 } }),
        'funding',
      );
    });

    it('refuses an end year before the start year', async () => {
      await expectInvalid(projectBody({ startYear: 2027, endYear: 2025 }), 'endYear');
    });

    it('refuses negative amounts', async () => {
      await expectInvalid(projectBody({ totalInvestment: -100_000_000 }), 'totalInvestment');
      await expectInvalid(
        projectBody({ funding: { centralBudget: 40_000_000, specialBond: 0, localFiscal: 30_000_010, selfRaised: 30_000_000, other: -10 } }),
        'funding.other',
      );
    });

    it('refuses fractional amounts: money is whole yuan', async () => {
      await expectInvalid(projectBody({ requestedAmount: 40_000_000.5 }), 'requestedAmount');
      await expectInvalid(
        projectBody({ funding: { centralBudget: 40_000_000, specialBond: 0, localFiscal: 29_999_999.5, selfRaised: 30_000_000.5, other: 0 } }),
        'funding.localFiscal',
      );
    });

    it('refuses an unknown channel or field', async () => {
      await expectInvalid(projectBody({ channel: 'lottery' }), 'channel');
      await expectInvalid(projectBody({ field: 'space' }), 'field');
    });

    it('refuses a requested amount above the channel\'s share of the funding plan', async () => {
      await expectInvalid(projectBody({ requestedAmount: 50_000_000 }), 'requestedAmount');
    });

    it('refuses a body without the required fields, naming each', async () => {
      const res = await staff.client.post('/api/projects', { orgId: orgA, channel: 'central_budget' });
      expectProblem(res, 422);
      expect(pathsOf(res)).to.include.members(['name', 'field', 'totalInvestment', 'requestedAmount', 'funding', 'startYear', 'endYear']);
    });
  });

  describe('editing', () => {
    it('bumps the version on each edit and refuses a stale expectedVersion with 409, keeping the first edit', async () => {
      const project = await create(ownerA.client, projectBody());
      const first = await ownerA.client.patch(`/api/projects/${project.id}`, { name: '城区污水管网改造工程（一期）', expectedVersion: 1 });
      expect(first.status, JSON.stringify(first.body)).to.equal(200);
      expect(first.body.project).to.include({ id: project.id, name: '城区污水管网改造工程（一期）', version: 2, stage: 'draft', orgId: orgA });

      const stale = await staff.client.patch(`/api/projects/${project.id}`, { name: '被覆盖的名称', expectedVersion: 1 });
      expectProblem(stale, 409);

      const read = await ownerA.client.get(`/api/projects/${project.id}`);
      expect(read.body.project).to.include({ name: '城区污水管网改造工程（一期）', version: 2 });

      const second = await staff.client.patch(`/api/projects/${project.id}`, { location: '示范区东片', expectedVersion: 2 });
      expect(second.status, JSON.stringify(second.body)).to.equal(200);
      expect(second.body.project).to.include({ name: '城区污水管网改造工程（一期）', location: '示范区东片', version: 3 });
    });

    it('ignores fields a client may not set: stage, version, organisation and history stay the service\'s', async () => {
      const sneaky = { stage: 'approved', version: 42, orgId: orgB, history: [], machineVersion: 'x' };
      const created = await ownerA.client.post('/api/projects', projectBody(sneaky));
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const project = created.body.project;
      expect(project).to.include({ stage: 'draft', version: 1, orgId: orgA });

      const res = await ownerA.client.patch(`/api/projects/${project.id}`, { ...sneaky, channel: 'special_bond', name: '改名后的项目', expectedVersion: 1 });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.project).to.include({ stage: 'draft', version: 2, orgId: orgA, channel: 'central_budget', name: '改名后的项目' });
      expect(ids(await ownerB.client.get('/api/projects?limit=200'))).not.to.include(project.id);
      const history = await ownerA.client.get(`/api/projects/${project.id}/history`);
      expect(history.body.items.map((h: any) => h.event)).to.deep.equal(['CREATE', 'EDIT']);
    });

    it('lets the owner edit only while the project is with them (draft, preliminary); staff may edit in between', async () => {
      let project = await create(ownerA.client, projectBody());
      await review(staff.client, (await upload(ownerA.client, project.id, 'proposal')).id, 'accept');
      project = await advance(ownerA.client, await getProject(ownerA.client, project.id), 'SUBMIT');
      expect(project.stage).to.equal('reserve_review');

      expectProblem(await ownerA.client.patch(`/api/projects/${project.id}`, { name: '审核中改名', expectedVersion: project.version }), 403);
      const byStaff = await staff.client.patch(`/api/projects/${project.id}`, { location: '示范区北片', expectedVersion: project.version });
      expect(byStaff.status, JSON.stringify(byStaff.body)).to.equal(200);
      project = byStaff.body.project;
      expect(project).to.include({ stage: 'reserve_review', location: '示范区北片' });

      project = await advance(staff.client, project, 'APPROVE');
      expect(project.stage).to.equal('reserve');
      expectProblem(await ownerA.client.patch(`/api/projects/${project.id}`, { name: '储备库中改名', expectedVersion: project.version }), 403);

      project = await advance(ownerA.client, project, 'START_PRELIMINARY');
      expect(project.stage).to.equal('preliminary');
      const again = await ownerA.client.patch(`/api/projects/${project.id}`, { name: '前期工作中改名', expectedVersion: project.version });
      expect(again.status, JSON.stringify(again.body)).to.equal(200);
      expect(again.body.project).to.include({ name: '前期工作中改名', stage: 'preliminary', version: project.version + 1 });
    });

    it('requires expectedVersion (422)', async () => {
      const project = await create(ownerA.client, projectBody());
      const res = await ownerA.client.patch(`/api/projects/${project.id}`, { name: '没有版本号的修改' });
      expectProblem(res, 422);
      expect(pathsOf(res)).to.include('expectedVersion');
      expect((await ownerA.client.get(`/api/projects/${project.id}`)).body.project).to.include({ name: project.name, version: 1 });
    });

    it('checks the edited project as a whole: a new total that the funding plan no longer matches is 422', async () => {
      const project = await create(ownerA.client, projectBody());
      const res = await ownerA.client.patch(`/api/projects/${project.id}`, { totalInvestment: 120_000_000, expectedVersion: 1 });
      expectProblem(res, 422);
      expect(pathsOf(res)).to.include('funding');
      const endBeforeStart = await ownerA.client.patch(`/api/projects/${project.id}`, { endYear: 2024, expectedVersion: 1 });
      expectProblem(endBeforeStart, 422);
      expect(pathsOf(endBeforeStart)).to.include('endYear');
      expect((await ownerA.client.get(`/api/projects/${project.id}`)).body.project).to.include({ totalInvestment: 100_000_000, endYear: 2027, version: 1 });

      const both = await ownerA.client.patch(`/api/projects/${project.id}`, {
        totalInvestment: 120_000_000,
        funding: { centralBudget: 40_000_000, specialBond: 0, localFiscal: 50_000_000, selfRaised: 30_000_000, other: 0 },
        expectedVersion: 1,
      });
      expect(both.status, JSON.stringify(both.body)).to.equal(200);
      expect(both.body.project).to.include({ totalInvestment: 120_000_000, version: 2 });
    });
  });

  describe('history', () => {
    it('shows CREATE then EDIT, oldest first, with who and when', async () => {
      const started = Date.now();
      const project = await create(ownerA.client, projectBody());
      const edit = await staff.client.patch(`/api/projects/${project.id}`, { description: '新增雨污分流内容', expectedVersion: 1 });
      expect(edit.status, JSON.stringify(edit.body)).to.equal(200);

      const res = await ownerA.client.get(`/api/projects/${project.id}/history`);
      expect(res.status).to.equal(200);
      const items = res.body.items;
      expect(items.map((h: any) => h.event)).to.deep.equal(['CREATE', 'EDIT']);
      const [created, edited] = items;
      expect(created).to.include({ actorId: ownerA.id, role: 'owner', orgId: orgA, to: 'draft' });
      expect(created.actorName).to.be.a('string').with.length.above(0);
      expect(edited).to.include({ actorId: staff.id, role: 'staff' });
      expect(edited.actorName).to.be.a('string').with.length.above(0);
      for (const entry of items) {
        const at = Date.parse(entry.at);
        expect(at, entry.at).to.be.within(started - 5_000, Date.now() + 5_000);
      }
      expect(Date.parse(created.at)).to.be.at.most(Date.parse(edited.at));
    });
  });
});
