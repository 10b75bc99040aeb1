import { expect } from 'chai';
import { Types } from 'mongoose';
import { claimsCollection } from '../src/projects/project-codes';
import { checkInvariants } from '../src/integrity/invariants';
import { projectCodeProblem } from '../workflows/project-code';
import {
  acceptAll,
  bringTo,
  createProject,
  expectProblem,
  getProject,
  projectBody,
  requiredDocuments,
  sendEvent,
  sharedTeam,
  specialBondBody,
  uniqueProjectCode,
  type Team,
} from './support/fixtures';
import { service } from './support/hooks';
import { loadWorkbook, readPdf, readSheet } from './support/exports';

const thisYear = Number(new Date().toISOString().slice(0, 4));

describe('项目代码 (the national project code)', function () {
  this.timeout(120_000);
  let team: Team;

  before(async () => {
    team = await sharedTeam();
  });

  describe('its structure, checked by the domain core', () => {
    it('takes well-formed codes', () => {
      for (const code of ['2025-330102-48-01-000123', '2015-110101-01-03-999999', '2024-650000-97-02-000001', `${thisYear}-440305-70-03-012345`]) {
        expect(projectCodeProblem(code, thisYear), code).to.equal(undefined);
      }
    });

    it('refuses codes of the wrong shape, year, division, industry, type or serial, each with its reason in Chinese', () => {
      const cases: [string, RegExp][] = [
        ['2025330102480100012', /4-6-2-2-6/],
        ['2025-33010-48-01-000123', /4-6-2-2-6/],
        ['2025-330102-48-01-00012A', /4-6-2-2-6/],
        ['25-330102-48-01-000123', /4-6-2-2-6/],
        ['2010-330102-48-01-000123', /赋码年份应在 2015 年至/],
        [`${thisYear + 1}-330102-48-01-000123`, /赋码年份应在/],
        ['2025-990102-48-01-000123', /行政区划代码/],
        ['2025-000000-48-01-000123', /行政区划代码/],
        ['2025-330102-00-01-000123', /行业代码/],
        ['2025-330102-98-01-000123', /行业代码/],
        ['2025-330102-48-00-000123', /项目类型代码/],
        ['2025-330102-48-01-000000', /流水号/],
      ];
      for (const [code, message] of cases) expect(projectCodeProblem(code, thisYear), code).to.match(message);
    });

    it('refuses a malformed code through the API beside the field, and takes one typed with full-width digits and dashes', async () => {
      const bad = await team.owner.post('/api/projects', projectBody({ projectCode: '2025-330102-48-01' }));
      expectProblem(bad, 422);
      expect(bad.body.errors).to.deep.include({ path: 'projectCode', message: bad.body.errors.find((e: any) => e.path === 'projectCode').message });
      expect(bad.body.errors.find((e: any) => e.path === 'projectCode').message).to.match(/项目代码应为/);

      const code = uniqueProjectCode();
      const typed = code.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).replace(/-/g, '－');
      const project = await createProject(team.owner, projectBody({ projectCode: ` ${typed} ` }));
      expect(project.projectCode).to.equal(code);
    });
  });

  describe('unique across projects', () => {
    it('refuses a code another project carries, naming it only to those who may see it', async () => {
      const code = uniqueProjectCode();
      const first = await createProject(team.owner, projectBody({ projectCode: code }));
      const again = await team.staff.post('/api/projects', projectBody({ projectCode: code, orgId: team.orgId }));
      expectProblem(again, 422);
      expect(again.body.errors).to.deep.equal([{ path: 'projectCode', message: `项目代码已被项目“${first.name}”使用，同一项目代码只能对应一个项目` }]);

      const other = await team.otherOwner.post('/api/projects', projectBody({ projectCode: code }));
      expectProblem(other, 422);
      expect(other.body.errors[0].message).to.not.include(first.name);

      const mine = await createProject(team.owner, projectBody());
      const edit = await team.owner.patch(`/api/projects/${mine.id}`, { projectCode: code, expectedVersion: mine.version });
      expectProblem(edit, 422);
      expect((await getProject(team.owner, mine.id)).version, 'nothing changed').to.equal(mine.version);
    });

    it('frees a code when its project takes another or clears it', async () => {
      const [a, b] = [uniqueProjectCode(), uniqueProjectCode()];
      let first = await createProject(team.owner, projectBody({ projectCode: a }));
      const second = await createProject(team.owner, projectBody());
      let res = await team.owner.patch(`/api/projects/${first.id}`, { projectCode: b, expectedVersion: first.version });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      first = res.body.project;
      expect(first.projectCode).to.equal(b);
      res = await team.owner.patch(`/api/projects/${second.id}`, { projectCode: a, expectedVersion: second.version });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);

      res = await team.owner.patch(`/api/projects/${first.id}`, { projectCode: '', expectedVersion: first.version });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.project.projectCode).to.equal(undefined);
      expect(await claimsCollection().findOne({ _id: b })).to.equal(null);
      await createProject(team.owner, projectBody({ projectCode: b }));
    });

    it('gives a code to one project only when two claim it at once', async () => {
      const code = uniqueProjectCode();
      const answers = await Promise.all([
        team.owner.post('/api/projects', projectBody({ projectCode: code })),
        team.staff.post('/api/projects', projectBody({ projectCode: code, orgId: team.orgId })),
        team.owner.post('/api/projects', projectBody({ projectCode: code })),
      ]);
      expect(answers.map((r) => r.status).sort()).to.deep.equal([201, 422, 422]);
    });

    it('lets a code be taken over from a claim a stop left behind, and npm run check tells such claims apart', async () => {
      const code = uniqueProjectCode();
      // A claim whose change never happened: its project does not carry the code (or does not exist).
      await claimsCollection().insertOne({ _id: code, projectId: new Types.ObjectId(), at: new Date() });
      let report = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
      expect(report.idleCodeClaims).to.be.at.least(1);
      expect(report.violations.filter((v) => v.rule === 'project-code')).to.deep.equal([]);

      const project = await createProject(team.owner, projectBody({ projectCode: code }));
      expect((await claimsCollection().findOne({ _id: code }))?.projectId.toString()).to.equal(project.id);

      // A code a project carries without its claim is reported, and the repair claims it.
      await claimsCollection().deleteOne({ _id: code });
      report = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
      expect(report.violations.filter((v) => v.rule === 'project-code').map((v) => v.projectId)).to.deep.equal([project.id]);
    });
  });

  it('finds a project by its code, or part of it, in the list', async () => {
    const code = uniqueProjectCode();
    const project = await createProject(team.owner, projectBody({ projectCode: code }));
    for (const q of [code, code.slice(-9), code.slice(-9).replace(/-/g, '－')]) {
      const res = await team.staff.get(`/api/projects?q=${encodeURIComponent(q)}`);
      expect(res.status).to.equal(200);
      expect(res.body.items.map((p: any) => p.id), q).to.deep.equal([project.id]);
      expect(res.body.items[0].projectCode).to.equal(code);
    }
  });

  it('is printed in the project list export, in every ledger and on the 申报书', async () => {
    const code = uniqueProjectCode();
    const project = await bringTo(team, await createProject(team.owner, projectBody({ projectCode: code })), 'reserve');
    const sheetOf = async (path: string) => {
      const res = await team.staff.get(path);
      expect(res.status, path).to.equal(200);
      return readSheet((await loadWorkbook(res.body)).worksheets[0]!);
    };
    const list = await sheetOf(`/api/projects/export.xlsx?ids=${project.id}`);
    expect(list.rows.map((r) => r['项目代码'])).to.deep.equal([code]);
    for (const kind of ['progress', 'procedures', 'issues', 'intake']) {
      const ledger = await sheetOf(`/api/exports/ledger.xlsx?kind=${kind}&orgId=${team.orgId}`);
      expect(ledger.headers, kind).to.include('项目代码');
      expect(ledger.headers.indexOf('项目代码'), kind).to.equal(ledger.headers.indexOf('项目名称') + 1);
      const mine = ledger.rows.filter((r) => r['项目名称'] === project.name);
      if (kind === 'procedures' || kind === 'intake') expect(mine.length, kind).to.be.above(0);
      for (const row of mine) expect(row['项目代码'], kind).to.equal(code);
    }
    const pdf = await team.owner.get(`/api/projects/${project.id}/application.pdf`, { timeoutMs: 120_000 });
    expect(pdf.status).to.equal(200);
    expect((await readPdf(pdf.body as Buffer)).text.replace(/\s/g, '')).to.include(`项目代码${code}`);
  });

  describe('required before SUBMIT from preliminary (workflows/rules.yaml, projectCode)', () => {
    for (const channel of ['central_budget', 'special_bond'] as const) {
      it(`blocks a ${channel} project without a code, with the reason, and lets it through once the code is entered`, async () => {
        const body = channel === 'special_bond' ? specialBondBody(1.5, { projectCode: undefined }) : projectBody({ projectCode: undefined });
        let project = await bringTo(team, await createProject(team.owner, body), 'preliminary');
        await acceptAll(team.owner, team.staff, project.id, requiredDocuments[channel].preliminary);
        project = await getProject(team.owner, project.id);
        expect(project.projectCode).to.equal(undefined);
        const submit = project.affordances.events.find((e: any) => e.type === 'SUBMIT');
        expect(submit.blockers).to.deep.equal([{ kind: 'invalid', path: 'projectCode', message: '请先填写项目代码（全国投资项目在线审批监管平台赋码）后再申报' }]);

        const refused = await sendEvent(team.owner, project, 'SUBMIT');
        expectProblem(refused, 422);
        expect(refused.body.errors).to.deep.equal([{ path: 'projectCode', message: '请先填写项目代码（全国投资项目在线审批监管平台赋码）后再申报' }]);

        const res = await team.owner.patch(`/api/projects/${project.id}`, { projectCode: uniqueProjectCode(), expectedVersion: project.version });
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        const submitted = await sendEvent(team.owner, res.body.project, 'SUBMIT');
        expect(submitted.status, JSON.stringify(submitted.body)).to.equal(200);
        expect(submitted.body.project.stage).to.equal('application_review');
      });
    }
  });
});
