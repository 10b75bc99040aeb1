import { expect } from 'chai';
import { Types } from 'mongoose';
import { minimalPdf } from '../src/demo/sample-files';
import { checkInvariants } from '../src/integrity/invariants';
import { projectStore } from '../src/projects/project-store';
import type { HistoryEntry } from '../src/projects/project.model';
import type { Stage } from '../workflows/vocabulary';
import { DocumentRecords } from '../src/projects/document.model';
import { projectViolations } from '../src/integrity/project-rules';
import { projectHistory } from '../src/projects/project.repository';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import {
  acceptAll,
  advance,
  bringTo,
  createProject,
  expectProblem,
  getProject,
  historyOf,
  performanceTargets,
  projectBody,
  sendEvent,
  sharedTeam,
  upload,
  uploadFile,
  type Team,
} from './support/fixtures';
import { service } from './support/hooks';

/** Every page's text of a PDF, run together. */
async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    pages.push((await (await doc.getPage(n)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(''));
  }
  await doc.destroy();
  return pages.join('\n');
}

/** Issue "Holding up, second round": what a careless click, a stale tab or a hostile user could break. */
describe('holding up: stale tabs, hostile input, closed projects', function () {
  this.timeout(120_000);
  let team: Team;

  before(async () => {
    team = await sharedTeam();
  });

  describe('a write is checked against the very version it replaces', () => {
    it('an owner\'s SUBMIT at version v and a PATCH claiming v + 1 sent together never leave an owner\'s edit under review', async () => {
      for (let round = 0; round < 5; round++) {
        const draft = await createProject(team.owner);
        await acceptAll(team.owner, team.staff, draft.id, ['proposal']);
        const project = await getProject(team.owner, draft.id);
        const [submit, patch] = await Promise.all([
          sendEvent(team.owner, project, 'SUBMIT'),
          team.owner.patch(`/api/projects/${project.id}`, { expectedVersion: project.version + 1, name: `${project.name}（改）` }),
        ]);
        expect(submit.status, JSON.stringify(submit.body)).to.equal(200);
        expect(patch.status, JSON.stringify(patch.body)).to.be.oneOf([403, 409]);
        const history = await historyOf(team.staff, project.id);
        expect(history.at(-1)).to.include({ event: 'SUBMIT', to: 'reserve_review' });
        expect(history.filter((e) => e.event === 'EDIT')).to.have.length(0);
      }
    });

    it('staff cannot change a project as it enters a final stage', async () => {
      const project = await bringTo(team, await createProject(team.owner), 'reserve_review');
      const [reject, patch] = await Promise.all([
        sendEvent(team.staff, project, 'REJECT', { reason: '不符合入库条件' }),
        team.staff.patch(`/api/projects/${project.id}`, { expectedVersion: project.version + 1, location: '别处' }),
      ]);
      expect(reject.status).to.equal(200);
      expect(patch.status).to.be.oneOf([403, 409]);
      expect((await getProject(team.staff, project.id)).location).to.equal(project.location);
    });
  });

  describe('document types are looked up as own keys only', () => {
    for (const docType of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      it(`refuses docType "${docType}" with 422 and stores nothing`, async () => {
        const project = await createProject(team.owner);
        const res = await uploadFile(team.owner, project.id, docType, minimalPdf(docType), 'x.pdf');
        expectProblem(res, 422);
        expect((await getProject(team.owner, project.id)).version).to.equal(1);
      });
    }

    it('prints document names, never [object Object], in the application PDF', async () => {
      const project = await createProject(team.owner);
      await upload(team.owner, project.id, 'proposal');
      const res = await team.owner.get(`/api/projects/${project.id}/application.pdf`);
      expect(res.status).to.equal(200);
      const text = await pdfText(res.body as Uint8Array);
      expect(text).to.include('项目建议书或项目简介');
      expect(text).not.to.include('[object');
    });
  });

  describe('event data is stored as validated', () => {
    let project: any;
    before(async () => {
      project = await bringTo(team, await createProject(team.owner, projectBody({ performanceTargets })), 'implementation');
    });

    it('drops keys the event does not take and trims its strings', async () => {
      project = await advance(team.staff, project, 'RECORD_PROGRESS', { data: { percent: 35, note: '  主体完成三成  ', $where: 'sleep(1000)', extra: { a: 1 } } });
      const entry = (await historyOf(team.staff, project.id)).at(-1);
      expect(entry.data).to.deep.equal({ percent: 35, note: '主体完成三成' });
      expect(project.progress.at(-1)).to.include({ percent: 35, note: '主体完成三成' });
    });

    it('refuses data on an event that takes none (422 on "data")', async () => {
      const res = await sendEvent(team.staff, project, 'START_IMPLEMENTATION', { data: { anything: true } });
      expect(res.status).to.be.oneOf([409, 422]);
      const review = await bringTo(team, await createProject(team.owner), 'reserve_review');
      const approve = await sendEvent(team.staff, review, 'APPROVE', { data: { note: 'x' } });
      expectProblem(approve, 422);
      expect(approve.body.errors.map((e: any) => e.path)).to.include('data');
    });

    it('answers a body nested 100,000 deep, or a data object far too large, with a 4xx, never a 500', async () => {
      const deep = '{"type":"RECORD_PROGRESS","expectedVersion":1,"data":' + '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000) + '}';
      const nested = await team.staff.request('POST', `/api/projects/${project.id}/events`, { raw: deep, headers: { 'content-type': 'application/json' } });
      expect(nested.status).to.be.within(400, 499);
      const wide = await sendEvent(team.staff, project, 'RECORD_PROGRESS', { data: { percent: 1, note: 'x'.repeat(900_000) } });
      expect(wide.status).to.be.within(400, 499);
      const dollar = await sendEvent(team.staff, project, 'RECORD_PROGRESS', { data: { $where: 'x', 'a.b': 1, percent: 1, note: 'n' } });
      expect(dollar.status).to.equal(200);
      project = dollar.body.project;
    });
  });

  describe('closed projects do not change', () => {
    for (const stage of ['evaluated', 'rejected', 'removed', 'withdrawn']) {
      it(`in ${stage}: no file review, upload or edit by anyone, and the version stays`, async () => {
        const draft = await createProject(team.owner, projectBody({ performanceTargets }));
        const file = await upload(team.owner, draft.id, 'proposal');
        const project = await bringTo(team, await getProject(team.owner, draft.id), stage);
        const reviewed = await team.staff.post(`/api/documents/${file.id}/review`, { decision: 'reject', reason: '补充' });
        expectProblem(reviewed, 403);
        for (const client of [team.owner, team.staff]) {
          expect((await uploadFile(client, project.id, 'eia', minimalPdf('late'), 'late.pdf')).status).to.be.oneOf([403, 404]);
          expect((await client.patch(`/api/projects/${project.id}`, { expectedVersion: project.version, location: '别处' })).status).to.equal(403);
        }
        expect((await getProject(team.staff, project.id)).version).to.equal(project.version);
      });
    }
  });

  it('downloads a file under the extension of the type its bytes are, whatever name it came with', async () => {
    const project = await createProject(team.owner);
    const polyglot = Buffer.concat([Buffer.from(minimalPdf('polyglot')), Buffer.from('<html><script>alert(1)</script></html>')]);
    const document = await upload(team.owner, project.id, 'proposal', '审批意见.html', polyglot);
    const res = await team.owner.request('GET', `/api/documents/${document.id}/content`);
    expect(res.status).to.equal(200);
    const disposition = decodeURIComponent(res.headers.get('content-disposition') ?? '');
    expect(disposition).to.include('审批意见.pdf').and.not.include('.html');
    expect(res.headers.get('content-type')).to.equal('application/pdf');
  });

  describe('npm run check finds damage that could already be in a database', () => {
    let projectId: string;
    before(async () => {
      const project = await createProject(team.owner);
      await upload(team.owner, project.id, 'proposal');
      projectId = project.id;
    });

    const rulesBroken = async () =>
      (await checkInvariants({ uploadsDir: service().settings.uploadsDir })).violations.filter((v) => v.projectId === projectId).map((v) => v.rule);

    async function withStored(change: (id: Types.ObjectId) => Promise<unknown>, undo: (id: Types.ObjectId) => Promise<unknown>, expected: string[]) {
      const id = new Types.ObjectId(projectId);
      await change(id);
      try {
        expect(await rulesBroken()).to.include.members(expected);
      } finally {
        await undo(id);
      }
      expect(await rulesBroken()).to.deep.equal([]);
    }

    /** The stored project with its whole history, damaged in memory as a database could already be. */
    async function damagedHistory(stage: Stage, entries: HistoryEntry[]) {
      const stored = (await projectStore.find(new Types.ObjectId(projectId)))!;
      const history = await projectHistory(stored);
      return projectViolations({ ...stored, stage, version: history.length + entries.length, history: [...history, ...entries] }).map((v) => v.rule);
    }

    it('an owner\'s edit made outside draft and preliminary', async () => {
      const at = new Date();
      const rules = await damagedHistory('reserve_review', [
        { at, actorId: 'o', actorName: '单位', role: 'owner', event: 'SUBMIT', from: 'draft', to: 'reserve_review' },
        { at, actorId: 'o', actorName: '单位', role: 'owner', orgId: 'x', event: 'EDIT', data: { fields: ['name'] } },
      ]);
      expect(rules).to.include('owner-edit');
    });

    it('a file of an unknown document type', async () => {
      const fileOf = async (id: Types.ObjectId) => (await projectStore.find(id))!.documents[0];
      await withStored(
        async (id) => DocumentRecords.collection.updateOne({ _id: await fileOf(id) }, { $set: { docType: '__proto__' } }),
        async (id) => DocumentRecords.collection.updateOne({ _id: await fileOf(id) }, { $set: { docType: 'proposal' } }),
        ['document-type'],
      );
    });

    it('a change after the project reached a final stage', async () => {
      const at = new Date();
      const rules = await damagedHistory('withdrawn', [
        { at, actorId: 'o', actorName: '单位', role: 'owner', event: 'WITHDRAW', from: 'draft', to: 'withdrawn' },
        { at, actorId: 's', actorName: '工作人员', role: 'staff', event: 'DOCUMENT_REVIEW', data: { decision: 'rejected', docType: 'proposal' } },
      ]);
      expect(rules).to.include('after-final');
    });
  });
});
