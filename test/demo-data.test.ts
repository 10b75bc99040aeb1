import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { projectCodeProblem } from '../workflows/project-code';
import { stages } from '../workflows/vocabulary';
import { ApiClient } from './support/client';
import { startChildServer, type ChildServer } from './support/child-server';
import { ADMIN } from './support/server';
import { adminClient, createOrganisation, createProject, expectProblem, signedInUser, uploadFile } from './support/fixtures';
import { runScript, workDirEnv } from './support/scripts';
import { ensureWebBuild } from '../scripts/ensure-web-build';
import { launchChromium } from './e2e/support/chromium';
import { BrowserUser, PHONE } from './e2e/support/browser';

const DEMO_PASSWORD = 'demo1234';
const DEMO_USERS = { staff: 'touzike', leader: 'lingdao', hospital: 'yiyuan', town: 'shiqiao', investment: 'chengtou' };
const START_TIMEOUT_MS = 240_000;

async function signIn(child: ChildServer, username: string): Promise<ApiClient> {
  const client = new ApiClient(child.url);
  const res = await client.login(username, DEMO_PASSWORD);
  expect(res.status, `${username}: ${JSON.stringify(res.body)}`).to.equal(200);
  return client;
}

async function allProjects(client: ApiClient): Promise<any[]> {
  const res = await client.get('/api/projects?limit=200');
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  expect(res.body.items).to.have.length(res.body.total);
  return res.body.items;
}

/** The start-up printout comes after the URL line; give it a moment. */
async function printedLogins(child: ChildServer): Promise<string> {
  for (let waited = 0; waited < 5000 && !child.output().includes('lingdao'); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return child.output();
}

const byName = (projects: any[], name: string) => {
  const found = projects.find((p) => p.name === name);
  expect(found, name).to.be.an('object');
  return found;
};

const years = (dates: string[]) => new Set(dates.map((d) => Number(d.slice(0, 4))));

describe('demo data on a first start (npm start)', function () {
  let child: ChildServer;
  let projects: any[];

  before(async function () {
    this.timeout(START_TIMEOUT_MS);
    // DEMO_DATA unset means true; the helper's default is false.
    child = await startChildServer({ env: { DEMO_DATA: 'true' } });
    projects = await allProjects(await signIn(child, DEMO_USERS.staff));
  });

  after(async function () {
    this.timeout(60_000);
    await child?.dispose();
  });

  it('prints the demo logins of every role, marked as demo accounts', async () => {
    const output = await printedLogins(child);
    expect(output).to.include('演示账号，仅供体验');
    for (const username of Object.values(DEMO_USERS)) expect(output).to.match(new RegExp(`${username}\\s+${DEMO_PASSWORD}`));
    for (const role of ['项目单位', '发改局工作人员', '领导']) expect(output).to.include(role);
  });

  it('shows staff about twenty projects of both channels in every stage, starting 2021–2026', () => {
    expect(projects.length).to.be.within(18, 25);
    expect(new Set(projects.map((p) => p.stage))).to.deep.equal(new Set(stages));
    expect(new Set(projects.map((p) => p.channel))).to.deep.equal(new Set(['central_budget', 'special_bond']));
    for (const year of [2021, 2022, 2023, 2024, 2025, 2026]) {
      expect(projects.some((p) => p.startYear === year), `a project starting in ${year}`).to.equal(true);
    }
    expect(new Set(projects.map((p) => p.orgName)).size).to.equal(3);
  });

  it('has amounts in whole yuan, funding plans that add up and special bonds that cover their debt service', () => {
    for (const p of projects) {
      const { centralBudget, specialBond, localFiscal, selfRaised, other } = p.funding;
      expect(centralBudget + specialBond + localFiscal + selfRaised + other, p.name).to.equal(p.totalInvestment);
      expect(Number.isInteger(p.totalInvestment) && Number.isInteger(p.requestedAmount), p.name).to.equal(true);
      if (p.channel === 'special_bond' && !['draft', 'reserve_review', 'reserve', 'preliminary', 'removed'].includes(p.stage)) {
        expect(p.financing.projectedRevenue / p.financing.debtService, p.name).to.be.at.least(1.1);
      }
    }
  });

  it('gives every project a well-formed 项目代码 of its own', () => {
    const codes = projects.map((p) => p.projectCode);
    for (const p of projects) expect(projectCodeProblem(p.projectCode ?? '', 2026), p.name).to.equal(undefined);
    expect(new Set(codes).size).to.equal(projects.length);
  });

  it('secures funds in several years: central plans released and bonds issued in batches over two years', () => {
    const plans = projects.filter((p) => p.channel === 'central_budget' && p.approval).map((p) => p.approval.date);
    const issues = projects.flatMap((p) => (p.issuances ?? []).map((i: any) => i.issueDate));
    expect(years(plans).size, 'years with a central plan released').to.be.at.least(4);
    expect(years(issues).size, 'years with bonds issued').to.be.at.least(4);
    const batchedOverTwoYears = projects.filter((p) => years((p.issuances ?? []).map((i: any) => i.issueDate)).size === 2);
    expect(batchedOverTwoYears.length).to.be.at.least(3);
    for (const p of projects.filter((x) => x.issuances?.length)) {
      expect(p.issuances.reduce((sum: number, i: any) => sum + i.amount, 0), p.name).to.be.at.most(p.approval.amount);
    }
    expect(projects.filter((p) => p.disbursements?.length).length).to.be.at.least(6);
  });

  it('has completed projects and evaluated ones with their weighted score and grade', () => {
    expect(projects.filter((p) => p.stage === 'completed').every((p) => p.completion?.date)).to.equal(true);
    const hospital = byName(projects, '县人民医院传染病区建设项目');
    expect(hospital.stage).to.equal('evaluated');
    expect(hospital.evaluation).to.include({ total: 92.7, grade: '优' });
    const park = byName(projects, '产业园区标准厂房及配套基础设施项目');
    expect(park.evaluation).to.include({ total: 83.9, grade: '良' });
  });

  it('keeps every round of the project that went back to the reserve and was approved a year later', async () => {
    const staff = await signIn(child, DEMO_USERS.staff);
    const water = byName(projects, '石桥镇农村供水保障工程');
    const history = (await staff.get(`/api/projects/${water.id}/history`)).body.items as any[];
    const transitions = history.filter((h) => h.from && h.from !== h.to).map((h) => `${h.event}:${h.from}→${h.to}`);
    const rejection = transitions.indexOf('RECORD_REJECTION:submitted→reserve');
    expect(rejection, transitions.join(' ')).to.be.greaterThan(0);
    expect(transitions.slice(rejection + 1, rejection + 5)).to.deep.equal([
      'START_PRELIMINARY:reserve→preliminary',
      'SUBMIT:preliminary→application_review',
      'APPROVE:application_review→submitted',
      'RECORD_APPROVAL:submitted→approved',
    ]);
    expect(water.applications.map((a: any) => a.year)).to.deep.equal([2022, 2023]);
    expect(water.approval.year).to.equal(2023);
    const rejectedAt = history.find((h) => h.event === 'RECORD_REJECTION');
    expect(rejectedAt.at.slice(0, 4)).to.equal('2022');
    expect(rejectedAt.reason).to.match(/额度/);
  });

  it('serves every version of every document of several projects with the stored SHA-256, from the uploads folder', async () => {
    const staff = await signIn(child, DEMO_USERS.staff);
    const kinds = new Set<string>();
    const names = ['产业园区标准厂房及配套基础设施项目', '石桥镇农村供水保障工程', '县人民医院传染病区建设项目', '青山县冷链物流园建设项目'];
    for (const name of names) {
      const documents = (await staff.get(`/api/projects/${byName(projects, name).id}/documents`)).body.items as any[];
      expect(documents.length, name).to.be.at.least(5);
      for (const doc of documents) {
        const res = await staff.get(`/api/documents/${doc.id}/content`);
        expect(res.status, doc.fileName).to.equal(200);
        const body = res.body as Buffer;
        expect(createHash('sha256').update(body).digest('hex'), doc.fileName).to.equal(doc.sha256);
        expect(body.length).to.equal(doc.size);
        const stored = await readFile(path.join(child.workDir, 'uploads', doc.sha256.slice(0, 2), doc.sha256));
        expect(stored.equals(body), doc.fileName).to.equal(true);
        expect(doc.fileName).to.match(/[\u4e00-\u9fff]/);
        kinds.add(doc.mime);
      }
    }
    expect(kinds.size, [...kinds].join(', ')).to.be.at.least(4);
  });

  it('shows replaced documents as versions with the reason of the rejection', async () => {
    const staff = await signIn(child, DEMO_USERS.staff);
    const park = byName(projects, '产业园区标准厂房及配套基础设施项目');
    const documents = (await staff.get(`/api/projects/${park.id}/documents`)).body.items as any[];
    const assessments = documents.filter((d) => d.docType === 'financial_assessment').sort((a, b) => a.version - b.version);
    expect(assessments.map((d) => d.version)).to.deep.equal([1, 2]);
    expect(assessments[0].review).to.include({ decision: 'rejected' });
    expect(assessments[0].review.reason).to.match(/敏感性分析/);
    expect(assessments[1].review).to.include({ decision: 'accepted' });
  });

  it('lets the leader read everything and each owner see only their own organisation', async () => {
    const leader = await signIn(child, DEMO_USERS.leader);
    expect(leader.user?.role).to.equal('leader');
    expect(await allProjects(leader)).to.have.length(projects.length);
    let seen = 0;
    for (const username of [DEMO_USERS.hospital, DEMO_USERS.town, DEMO_USERS.investment]) {
      const owner = await signIn(child, username);
      const own = await allProjects(owner);
      expect(own.length, username).to.be.at.least(5);
      expect(new Set(own.map((p) => p.orgId)), username).to.deep.equal(new Set([owner.user?.orgId]));
      seen += own.length;
    }
    expect(seen).to.equal(projects.length);
  });

  it("gives the leader a page of the projects under way they answer for, and a problem list with its sentence", async () => {
    const leader = await signIn(child, DEMO_USERS.leader);
    const underWay = projects.filter((p) => ['approved', 'issued', 'implementation'].includes(p.stage));
    const mine = (await leader.get('/api/projects?leaderId=me&limit=200')).body.items as any[];
    expect(mine.map((p) => p.id).sort()).to.deep.equal(underWay.map((p) => p.id).sort());
    expect(mine[0].responsibility).to.include({ leaderName: '陈国平（发改局局长）' });
    const problems = (await leader.get('/api/problems?leaderId=me')).body;
    expect(problems.summary).to.include({ problems: 3, resolved: 1, overdue: 1, text: '共调度问题项目3个、问题3个，已解决1个' });
    expect(problems.items.map((p: any) => p.level).sort()).to.deep.equal(['city', 'county', 'county']);
  });

  it('loads nothing a second time: restarted on the same folders, it has the same projects and people', async function () {
    this.timeout(START_TIMEOUT_MS);
    const admin = await adminClient(child.url);
    const users = (await admin.get('/api/users?limit=200')).body.total;
    await child.stop();
    child = await startChildServer({ workDir: child.workDir, env: { DEMO_DATA: 'true' } });
    expect(await allProjects(await signIn(child, DEMO_USERS.staff))).to.have.length(projects.length);
    const again = await adminClient(child.url);
    expect((await again.get('/api/users?limit=200')).body.total).to.equal(users);
    expect((await again.get('/api/orgs')).body.items).to.have.length(3);
    expect(await printedLogins(child)).to.include('演示账号，仅供体验');
  });

  it('tells the web app that the database holds demo data: in /api/auth/me and, for visitors, /api/public/status', async () => {
    const me = await (await signIn(child, DEMO_USERS.leader)).get('/api/auth/me');
    expect(me.body.demoData).to.equal(true);
    expect((await new ApiClient(child.url).get('/api/public/status')).body).to.deep.equal({ demoData: true });
  });

  it('shows the 演示数据 banner on every page: the login page, the hall board and the pages after signing in', async function () {
    this.timeout(15 * 60_000); // a fresh machine builds the web app and installs Chromium first
    ensureWebBuild((line) => console.log(`  ${line}`));
    const browser = await launchChromium();
    try {
      const user = await BrowserUser.open(browser, child.url);
      const banner = user.page.locator('[data-test="demo-banner"]');
      for (const path of ['/login', '/board']) {
        await user.goto(path);
        await banner.waitFor();
        expect(await banner.innerText(), path).to.include('演示数据');
      }
      await user.signInAt('/projects', DEMO_USERS.hospital, DEMO_PASSWORD);
      await banner.waitFor();
      expect(await banner.innerText()).to.include('演示数据');
      expect(user.errors).to.deep.equal([]);
    } finally {
      await browser.close();
    }
  });

  it('keeps the 演示数据 banner in view on every page of every kind of user, scrolled to its end, on a desk and on a phone', async function () {
    this.timeout(15 * 60_000);
    ensureWebBuild((line) => console.log(`  ${line}`));
    const own = (await allProjects(await signIn(child, DEMO_USERS.hospital)))[0]!.id;
    const any = projects[projects.length - 1]!.id;
    // Every screen of the router, for the people who open it (issue "What people stumble over in the browser", point 9).
    const screens: [string | undefined, string[]][] = [
      [undefined, ['/login', '/board', '/no-such-page']],
      [DEMO_USERS.hospital, ['/projects', '/projects/new', `/projects/${own}`, '/password']],
      [DEMO_USERS.staff, ['/queue', '/projects', `/projects/${any}`, '/dashboard']],
      [DEMO_USERS.leader, ['/dashboard', '/projects', '/audit', '/board']],
      ['admin', ['/admin', '/audit']],
    ];
    const browser = await launchChromium();
    try {
      for (const viewport of [{ width: 1440, height: 900 }, PHONE]) {
        for (const [username, paths] of screens) {
          const user = await BrowserUser.open(browser, child.url, viewport);
          if (username) await user.signInAt(paths[0]!, username, username === 'admin' ? ADMIN.password : DEMO_PASSWORD);
          for (const path of paths) {
            await user.goto(path);
            await user.page.waitForLoadState('networkidle');
            await user.page.mouse.wheel(0, 100_000);
            await user.page.waitForTimeout(100);
            const banner = user.page.locator('[data-test="demo-banner"]');
            const where = `${path} (${username ?? 'visitor'}, ${viewport.width}px)`;
            expect(await banner.innerText(), where).to.include('演示数据');
            // In view and on top: the point at its middle belongs to it, not to what scrolled under or over it.
            const seen = await banner.evaluate((element) => {
              const page = globalThis as unknown as { innerHeight: number; document: { elementFromPoint(x: number, y: number): unknown } };
              const box = (element as unknown as { getBoundingClientRect(): { top: number; bottom: number; left: number; right: number } }).getBoundingClientRect();
              const hit = page.document.elementFromPoint((box.left + box.right) / 2, (box.top + box.bottom) / 2);
              return box.top >= 0 && box.bottom <= page.innerHeight && (element as unknown as { contains(other: unknown): boolean }).contains(hit);
            });
            expect(seen, where).to.equal(true);
          }
          expect(user.errors).to.deep.equal([]);
          await user.close();
        }
      }
    } finally {
      await browser.close();
    }
  });

  it('with NODE_ENV=production, refuses to start while the demo accounts exist, and names the command that removes them', async function () {
    this.timeout(START_TIMEOUT_MS);
    await child.stop();
    const refusal = await startChildServer({ workDir: child.workDir, env: { NODE_ENV: 'production', PUBLIC_URL: 'https://fgj.example.gov.cn' } }).then(
      (started) => started.stop().then(() => 'started'),
      (error: Error) => error.message,
    );
    expect(refusal).to.include('npm run demo:remove').and.include(DEMO_USERS.staff);
    child = await startChildServer({ workDir: child.workDir, env: { DEMO_DATA: 'true' } });
  });

  it('npm run demo:remove removes the demo organisations, accounts, projects and their files, keeps the rest, and the demo never comes back', async function () {
    this.timeout(START_TIMEOUT_MS);
    // Real work beside the demo: an organisation, its owner and a project storing the same bytes as a demo file.
    const admin = await adminClient(child.url);
    const staff = await signIn(child, DEMO_USERS.staff);
    const owner = await signedInUser(admin, 'owner', await createOrganisation(admin));
    const ownProject = await createProject(owner.client);
    const demoDocuments = (await staff.get(`/api/projects/${byName(projects, '县人民医院传染病区建设项目').id}/documents`)).body.items as any[];
    const shared = demoDocuments.find((d) => d.mime === 'application/pdf');
    const sharedBytes = (await staff.get(`/api/documents/${shared.id}/content`)).body as Buffer;
    expect((await uploadFile(owner.client, ownProject.id, 'proposal', sharedBytes, '项目建议书.pdf')).status).to.equal(201);
    // And a problem attachment storing the same bytes as another demo file.
    const attached = demoDocuments.find((d) => d.mime === 'application/pdf' && d.sha256 !== shared.sha256);
    const attachedBytes = (await staff.get(`/api/documents/${attached.id}/content`)).body as Buffer;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(attachedBytes)]), '用地红线图.pdf');
    expect((await owner.client.request('POST', `/api/projects/${ownProject.id}/problem-attachments`, { form })).status).to.equal(201);
    const demoOnly = demoDocuments.filter((d) => d.sha256 !== shared.sha256 && d.sha256 !== attached.sha256);
    const stored = (sha: string) => path.join(child.workDir, 'uploads', sha.slice(0, 2), sha);

    await child.stop();
    const run = await runScript('remove-demo.ts', [], workDirEnv(child.workDir));
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.match(/已删除演示数据：单位 3 个、账号 6 个、项目 \d+ 个/);
    expect((await readFile(stored(shared.sha256))).equals(sharedBytes)).to.equal(true);
    expect((await readFile(stored(attached.sha256))).equals(attachedBytes), 'a file a problem attachment keeps').to.equal(true);
    for (const d of demoOnly) await readFile(stored(d.sha256)).then(() => expect.fail(`${d.fileName} is still stored`), () => undefined);

    // DEMO_DATA is still true, but the demo data is not loaded again.
    child = await startChildServer({ workDir: child.workDir, env: { DEMO_DATA: 'true' } });
    const again = await adminClient(child.url);
    expect((await again.get('/api/orgs')).body.items.map((o: any) => o.id)).to.deep.equal([owner.orgId]);
    const usernames = (await again.get('/api/users?limit=200')).body.items.map((u: any) => u.username);
    expect(usernames).to.have.members(['admin', owner.username]);
    expect((await again.get('/api/projects?limit=200')).body.items.map((p: any) => p.id)).to.deep.equal([ownProject.id]);
    expectProblem(await new ApiClient(child.url).post('/api/auth/login', { username: DEMO_USERS.staff, password: DEMO_PASSWORD }), 401);
    expect((await new ApiClient(child.url).get('/api/public/status')).body).to.deep.equal({ demoData: false });
    const ownerAgain = new ApiClient(child.url);
    expect((await ownerAgain.login(owner.username, owner.password)).status).to.equal(200);
    const kept = (await ownerAgain.get(`/api/projects/${ownProject.id}/documents`)).body.items[0];
    expect(((await ownerAgain.get(`/api/documents/${kept.id}/content`)).body as Buffer).equals(sharedBytes)).to.equal(true);
    const removal = await again.get('/api/audit?action=demo.remove');
    expect(removal.body.total).to.equal(1);
    expect(await printedLogins(child)).not.to.include('演示账号');

    // And production starts.
    await child.stop();
    child = await startChildServer({ workDir: child.workDir, env: { NODE_ENV: 'production', PUBLIC_URL: 'https://fgj.example.gov.cn' } });
    expect((await new ApiClient(child.url).get('/api/public/status')).body).to.deep.equal({ demoData: false });
  });
});

describe('DEMO_DATA=false', function () {
  it('keeps an empty database empty', async function () {
    this.timeout(START_TIMEOUT_MS);
    const child = await startChildServer({ env: { DEMO_DATA: 'false' } });
    try {
      const admin = await adminClient(child.url);
      expect((await admin.get('/api/orgs')).body.items).to.deep.equal([]);
      expect((await admin.get('/api/projects?limit=200')).body.total).to.equal(0);
      expect(child.output()).not.to.include('演示账号');
      expect((await new ApiClient(child.url).get('/api/public/status')).body).to.deep.equal({ demoData: false });
      expect((await admin.get('/api/auth/me')).body.demoData).to.equal(false);
    } finally {
      await child.dispose();
    }
  });
});

describe('NODE_ENV=production', function () {
  this.timeout(START_TIMEOUT_MS);
  const production = { NODE_ENV: 'production', PUBLIC_URL: 'https://fgj.example.gov.cn/fundflow', DEMO_DATA: 'true' };
  const refusalOf = (env: Record<string, string>) =>
    startChildServer({ env }).then(
      (started) => started.dispose().then(() => 'started'),
      (error: Error) => error.message,
    );

  it('never loads demo data, even with DEMO_DATA=true', async () => {
    const admin = { username: 'admin', password: 'Qingshan-county-Chief-8' };
    const child = await startChildServer({ env: { ...production, ADMIN_PASSWORD: admin.password } });
    try {
      expect((await new ApiClient(child.url).get('/api/public/status')).body).to.deep.equal({ demoData: false });
      const client = new ApiClient(child.url);
      expect((await client.login(admin.username, admin.password)).status).to.equal(200);
      expect((await client.get('/api/orgs')).body.items).to.deep.equal([]);
      expect(child.output()).not.to.include('演示账号');
    } finally {
      await child.dispose();
    }
  });

  it('refuses to start with a weak ADMIN_PASSWORD or without PUBLIC_URL, saying why', async () => {
    expect(await refusalOf({ ...production, ADMIN_PASSWORD: '12345678' })).to.include('ADMIN_PASSWORD 不符合密码要求');
    expect(await refusalOf({ ...production, PUBLIC_URL: '', ADMIN_PASSWORD: 'Qingshan-county-Chief-8' })).to.include('必须设置 PUBLIC_URL');
  });
});
