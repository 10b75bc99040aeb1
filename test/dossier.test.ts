import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { minimalPdf } from '../src/demo/sample-files';
import { elfExecutable, htmlPage, largePdfBlob, plainText, sha256, svgImage } from './support/files';
import {
  advance,
  createProject,
  sharedTeam,
  expectProblem,
  getProject,
  historyOf,
  projectBody,
  review,
  sendEvent,
  specialBondBody,
  upload,
  uploadFile,
  type Team,
} from './support/fixtures';
import { service } from './support/hooks';
import { checkInvariants } from '../src/integrity/invariants';

/** Every file (not directory) under `dir`, as paths relative to it; none when it does not exist yet. */
async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (sub: string): Promise<void> => {
    const entries = await readdir(path.join(dir, sub), { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    for (const entry of entries) {
      const relative = path.join(sub, entry.name);
      if (entry.isDirectory()) await walk(relative);
      else found.push(relative);
    }
  };
  await walk('');
  return found.sort();
}

const uploadsDir = () => service().settings.uploadsDir;

async function documentsOf(team: Team, projectId: string): Promise<any[]> {
  const res = await team.owner.get(`/api/projects/${projectId}/documents`);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body.items;
}

describe('dossier over HTTP', () => {
  let team: Team;
  let project: any;

  before(async function () {
    this.timeout(60_000); // creating users hashes their passwords (Argon2id)
    team = await sharedTeam();
    project = await createProject(team.owner);
  });

  describe('versions and reviews', () => {
    it('only the accepted current version counts: a newer version awaiting review blocks SUBMIT again', async () => {
      const draft = await createProject(team.owner);
      const first = await review(team.staff, (await upload(team.owner, draft.id, 'proposal')).id, 'accept');
      expect(first).to.include({ version: 1, state: 'accepted' });
      const second = await upload(team.owner, draft.id, 'proposal', '项目建议书（修订稿）.pdf');
      expect(second).to.include({ version: 2, state: 'pending' });

      const seen = await getProject(team.owner, draft.id);
      const proposal = seen.dossier.find((d: any) => d.docType === 'proposal');
      expect(proposal).to.include({ state: 'pending', required: true });
      expect(proposal.current).to.include({ id: second.id, version: 2 });
      const blocked = await sendEvent(team.owner, seen, 'SUBMIT');
      expectProblem(blocked, 422);
      expect(blocked.body.missing).to.deep.equal(['proposal']);

      await review(team.staff, second.id, 'accept');
      expect((await advance(team.owner, await getProject(team.owner, draft.id), 'SUBMIT')).stage).to.equal('reserve_review');
    });

    it('refuses a rejection without a reason (422 on "reason") and leaves the file unreviewed', async () => {
      const document = await upload(team.owner, project.id, 'energy_review');
      for (const reason of [undefined, '', '   ']) {
        const res = await team.staff.post(`/api/documents/${document.id}/review`, { decision: 'reject', reason });
        expectProblem(res, 422);
        expect(res.body.errors.map((e: any) => e.path)).to.include('reason');
      }
      const listed = (await documentsOf(team, project.id)).find((d) => d.id === document.id);
      expect(listed.state).to.equal('pending');
    });

    it('lets only staff review: owners and leaders get 403, another organisation\'s owner 404', async () => {
      const document = await upload(team.owner, project.id, 'stability_assessment');
      const path = `/api/documents/${document.id}/review`;
      expectProblem(await team.owner.post(path, { decision: 'accept' }), 403);
      expectProblem(await team.leader.post(path, { decision: 'accept' }), 403);
      expectProblem(await team.administrator.post(path, { decision: 'accept' }), 403);
      expect((await team.otherOwner.post(path, { decision: 'accept' })).status).to.be.oneOf([403, 404]);
      const listed = (await documentsOf(team, project.id)).find((d) => d.id === document.id);
      expect(listed.state).to.equal('pending');
    });

    it('puts uploads and reviews in the project history, a rejection with its reason', async () => {
      const document = await upload(team.owner, project.id, 'land_use', '用地预审意见.pdf');
      await review(team.staff, document.id, 'reject', '缺少自然资源部门盖章');
      const accepted = await upload(team.owner, project.id, 'land_use', '用地预审意见（盖章）.pdf');
      await review(team.staff, accepted.id, 'accept');

      const history = await historyOf(team.leader, project.id);
      const reviews = history.filter((h) => h.event === 'DOCUMENT_REVIEW' && h.data?.docType === 'land_use');
      expect(reviews.map((h) => [h.data.version, h.data.decision, h.reason])).to.deep.equal([
        [1, 'rejected', '缺少自然资源部门盖章'],
        [2, 'accepted', undefined],
      ]);
      expect(reviews[0].role).to.equal('staff');
      expect(reviews[0].data.documentId).to.equal(document.id);
      const uploads = history.filter((h) => h.event === 'DOCUMENT_UPLOAD' && h.data?.docType === 'land_use');
      expect(uploads.map((h) => h.data.fileName)).to.deep.equal(['用地预审意见.pdf', '用地预审意见（盖章）.pdf']);
    });
  });

  describe('checklist and the 一件三证 badge', () => {
    it('lists every required and optional type of the channel with the state of its current version', async () => {
      const fresh = await createProject(team.owner);
      const rejected = await upload(team.owner, fresh.id, 'eia');
      await review(team.staff, rejected.id, 'reject', '环评批复已过期');
      await review(team.staff, (await upload(team.owner, fresh.id, 'proposal')).id, 'accept');
      await upload(team.owner, fresh.id, 'construction_permit');

      const checklist = (await getProject(team.owner, fresh.id)).dossier;
      const summary = Object.fromEntries(checklist.map((d: any) => [d.docType, [d.required, d.requiredFor ?? null, d.state]]));
      expect(summary).to.deep.equal({
        proposal: [true, 'draft', 'accepted'],
        approval_doc: [true, 'preliminary', 'missing'],
        land_use: [true, 'preliminary', 'missing'],
        eia: [true, 'preliminary', 'rejected'],
        fund_application_report: [true, 'preliminary', 'missing'],
        energy_review: [false, null, 'missing'],
        stability_assessment: [false, null, 'missing'],
        land_planning_permit: [false, null, 'missing'],
        construction_planning_permit: [false, null, 'missing'],
        construction_permit: [false, null, 'pending'],
      });
      expect(checklist.find((d: any) => d.docType === 'eia').current.review).to.include({ decision: 'rejected', reason: '环评批复已过期' });
      expect(checklist.find((d: any) => d.docType === 'proposal').label).to.equal('项目建议书或项目简介');
    });

    it('asks special bonds for their own preliminary documents', async () => {
      const bond = await createProject(team.owner, specialBondBody());
      const required = (await getProject(team.owner, bond.id)).dossier.filter((d: any) => d.required).map((d: any) => d.docType);
      expect(required).to.have.members(['proposal', 'approval_doc', 'land_use', 'eia', 'implementation_plan', 'financial_assessment', 'legal_opinion']);
    });

    it('turns the 一件三证 badge complete only once the approval document and all three permits are accepted', async () => {
      const fresh = await createProject(team.owner);
      const badge = async () => (await getProject(team.owner, fresh.id)).readiness.yiJianSanZheng;
      const four = ['approval_doc', 'land_planning_permit', 'construction_planning_permit', 'construction_permit'];
      expect(await badge()).to.deep.include({ complete: false, missing: four });

      const documents = [];
      for (const docType of four) documents.push(await upload(team.owner, fresh.id, docType));
      expect((await badge()).complete, 'uploaded but not yet reviewed').to.equal(false);

      for (const document of documents.slice(0, 3)) await review(team.staff, document.id, 'accept');
      await review(team.staff, documents[3].id, 'reject', '施工许可证未盖章');
      expect(await badge()).to.deep.include({ complete: false, missing: ['construction_permit'] });

      // Other accepted files do not stand in for a permit.
      await review(team.staff, (await upload(team.owner, fresh.id, 'proposal')).id, 'accept');
      expect((await badge()).complete).to.equal(false);

      await review(team.staff, (await upload(team.owner, fresh.id, 'construction_permit')).id, 'accept');
      expect(await badge()).to.deep.include({ complete: true, missing: [] });
    });
  });

  describe('refused files leave nothing behind', () => {
    const refused: [string, string, () => Buffer | Blob][] = [
      ['an ELF executable renamed .pdf', '可行性研究报告.pdf', elfExecutable],
      ['plain text renamed .docx', '资金申请报告.docx', plainText],
      ['an HTML page', '项目简介.html', htmlPage],
      ['an SVG image', '选址红线图.svg', svgImage],
    ];
    for (const [what, fileName, bytes] of refused) {
      it(`answers ${what} with 415, and stores neither a file nor a record`, async () => {
        const before = await filesUnder(uploadsDir());
        const documentsBefore = (await documentsOf(team, project.id)).length;
        const res = await uploadFile(team.owner, project.id, 'proposal', bytes(), fileName);
        expectProblem(res, 415);
        expect(await filesUnder(uploadsDir())).to.deep.equal(before);
        expect(await documentsOf(team, project.id)).to.have.length(documentsBefore);
      });
    }

    it('answers a 51 MB upload with 413 and keeps no part of it', async function () {
      this.timeout(60_000);
      const before = await filesUnder(uploadsDir());
      const documentsBefore = (await documentsOf(team, project.id)).length;
      const res = await uploadFile(team.owner, project.id, 'proposal', largePdfBlob(51 * 1024 * 1024), '项目建议书（扫描件）.pdf');
      expectProblem(res, 413);
      expect(await filesUnder(uploadsDir())).to.deep.equal(before);
      expect(await documentsOf(team, project.id)).to.have.length(documentsBefore);
      const history = await historyOf(team.owner, project.id);
      expect(history.filter((h) => h.data?.fileName === '项目建议书（扫描件）.pdf')).to.deep.equal([]);
    });
  });

  describe('names and downloads', () => {
    it('keeps a Chinese file name and serves the exact bytes back as an attachment named per RFC 5987', async () => {
      const bytes = minimalPdf('Feasibility study 2025');
      const fileName = '城区污水管网改造工程可行性研究报告（2025年修订）.pdf';
      const document = await upload(team.owner, project.id, 'fund_application_report', fileName, bytes);
      expect(document).to.include({ fileName, size: bytes.length, sha256: sha256(bytes), mime: 'application/pdf' });

      const res = await team.owner.get(`/api/documents/${document.id}/content`);
      expect(res.status).to.equal(200);
      const body = res.body as Buffer;
      expect(sha256(body)).to.equal(document.sha256);
      expect(res.headers.get('content-type')).to.match(/^application\/pdf/);
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
      const disposition = res.headers.get('content-disposition') ?? '';
      expect(disposition).to.match(/^attachment;/);
      const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)![1]!;
      expect(decodeURIComponent(encoded)).to.equal(fileName);
      // The fallback `filename="…"` must stay plain ASCII: raw UTF-8 in a header is not portable.
      expect(disposition).to.match(/^[\x20-\x7e]*$/);
    });

    it('keeps a name with "../../" inside UPLOADS_DIR and drops the path from the name', async () => {
      const bytes = minimalPdf('path traversal attempt');
      const before = await filesUnder(uploadsDir());
      const document = await upload(team.owner, project.id, 'legal_opinion', '../../../../法律意见书.pdf', bytes);
      expect(document.fileName).to.equal('法律意见书.pdf');

      const added = (await filesUnder(uploadsDir())).filter((f) => !before.includes(f));
      expect(added).to.have.length(1);
      expect(added[0]).to.match(new RegExp(`${document.sha256}$`));
      expect(added[0]).not.to.include('..');
      expect((await stat(path.join(uploadsDir(), added[0]!))).size).to.equal(bytes.length);
      for (const outside of [path.resolve(uploadsDir(), '..', '法律意见书.pdf'), path.resolve(uploadsDir(), '..', '..', '法律意见书.pdf')]) {
        expect(await stat(outside).then(() => true, () => false), outside).to.equal(false);
      }
    });

    it('keeps every version downloadable, and another organisation\'s owner gets 404 on all of it', async () => {
      const first = await upload(team.owner, project.id, 'implementation_plan', '实施方案.pdf', minimalPdf('plan v1'));
      await review(team.staff, first.id, 'reject', '资金平衡测算不完整');
      const second = await upload(team.owner, project.id, 'implementation_plan', '实施方案（第二稿）.pdf', minimalPdf('plan v2'));
      expect([first.version, second.version]).to.deep.equal([1, 2]);

      for (const [document, reader] of [[first, team.owner], [second, team.leader], [first, team.staff]] as const) {
        const res = await reader.get(`/api/documents/${document.id}/content`);
        expect(res.status).to.equal(200);
        expect(sha256(res.body)).to.equal(document.sha256);
      }

      expectProblem(await team.otherOwner.get(`/api/documents/${first.id}/content`), 404);
      expectProblem(await team.otherOwner.get(`/api/projects/${project.id}/documents`), 404);
      const before = await filesUnder(uploadsDir());
      expectProblem(await uploadFile(team.otherOwner, project.id, 'proposal', minimalPdf('intruder'), 'x.pdf'), 404);
      expectProblem(await uploadFile(team.leader, project.id, 'proposal', minimalPdf('leader'), 'x.pdf'), 403);
      expect(await filesUnder(uploadsDir())).to.deep.equal(before);
    });

    it('refuses an unknown document type with 422 and keeps no file', async () => {
      const before = await filesUnder(uploadsDir());
      const res = await uploadFile(team.owner, project.id, 'selfie', minimalPdf('unknown type'), '自拍.pdf');
      expectProblem(res, 422);
      expect(res.body.errors.map((e: any) => e.path)).to.include('docType');
      expect(await filesUnder(uploadsDir())).to.deep.equal(before);
    });
  });

  describe('taking back a file uploaded by mistake (issue "What people stumble over in the browser", point 8)', () => {
    const withdraw = (client: Team['owner'], documentId: string) => client.post(`/api/documents/${documentId}/withdraw`);
    const checklistEntry = async (projectId: string, docType: string) =>
      (await getProject(team.owner, projectId)).dossier.find((d: { docType: string }) => d.docType === docType);

    it('lets its uploader withdraw it while nobody has reviewed it: the version before counts again, and the history keeps both', async () => {
      const mine = await createProject(team.owner, projectBody());
      const first = await upload(team.owner, mine.id, 'proposal', '项目建议书.pdf');
      await review(team.staff, first.id, 'accept');
      const mistaken = await upload(team.owner, mine.id, 'proposal', '错传的文件.pdf');
      const entry = await checklistEntry(mine.id, 'proposal');
      expect(entry).to.include({ state: 'pending', mayWithdraw: true });

      const res = await withdraw(team.owner, mistaken.id);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const after = await checklistEntry(mine.id, 'proposal');
      expect(after).to.include({ state: 'accepted', mayWithdraw: false });
      expect(after.current.id).to.equal(first.id);
      expect((await documentsOf(team, mine.id)).map((d) => d.id)).to.deep.equal([first.id]);
      expectProblem(await team.owner.get(`/api/documents/${mistaken.id}/content`), 404);

      const history = await historyOf(team.owner, mine.id);
      expect(history.map((h) => h.event).slice(-2)).to.deep.equal(['DOCUMENT_UPLOAD', 'DOCUMENT_WITHDRAW']);
      expect(history.at(-1)).to.deep.include({ role: 'owner', data: { documentId: mistaken.id, docType: 'proposal', version: 2, fileName: '错传的文件.pdf' } });
      // Nothing else changed: the project still goes forward on the accepted version.
      expect((await advance(team.owner, await getProject(team.owner, mine.id), 'SUBMIT')).stage).to.equal('reserve_review');
      const report = await checkInvariants({ uploadsDir: uploadsDir() });
      expect(report.violations.filter((v) => v.projectId === mine.id)).to.deep.equal([]);
    });

    it('takes back the only version of a type, which is missing again', async () => {
      const mine = await createProject(team.owner, projectBody());
      const only = await upload(team.owner, mine.id, 'land_use', '用地预审意见.pdf');
      expect((await withdraw(team.owner, only.id)).status).to.equal(200);
      expect(await checklistEntry(mine.id, 'land_use')).to.include({ state: 'missing' }).and.not.have.property('current');
    });

    it('leaves the version before waiting for its review again, from the day it came, when nobody has reviewed it either', async () => {
      const mine = await createProject(team.owner, projectBody());
      const waiting = await upload(team.owner, mine.id, 'proposal', '项目建议书.pdf');
      const before = (await getProject(team.staff, mine.id)).fileReviews;
      const mistaken = await upload(team.owner, mine.id, 'proposal', '错传的文件.pdf');
      expect((await getProject(team.staff, mine.id)).fileReviews.map((f: any) => f.version)).to.deep.equal([2]);
      expect((await withdraw(team.owner, mistaken.id)).status).to.equal(200);
      const after = await getProject(team.staff, mine.id);
      expect(after.fileReviews).to.deep.equal(before);
      expect(after.dossier.find((d: { docType: string }) => d.docType === 'proposal').current.id).to.equal(waiting.id);
      const queue = await team.staff.get('/api/queue');
      expect(JSON.stringify(queue.body)).to.contain(mine.id);
      const report = await checkInvariants({ uploadsDir: uploadsDir() });
      expect(report.violations.filter((v) => v.projectId === mine.id)).to.deep.equal([]);
    });

    it('refuses a reviewed file or an older version (409), someone else\'s upload (403), another organisation (404), and those who read only (403)', async () => {
      const mine = await createProject(team.owner, projectBody());
      const reviewed = await upload(team.owner, mine.id, 'proposal');
      await review(team.staff, reviewed.id, 'reject', '扫描不清晰');
      expectProblem(await withdraw(team.owner, reviewed.id), 409);
      const older = await upload(team.owner, mine.id, 'land_use');
      await upload(team.owner, mine.id, 'land_use');
      expectProblem(await withdraw(team.owner, older.id), 409);

      const byStaff = await upload(team.staff, mine.id, 'eia');
      const notYours = await withdraw(team.owner, byStaff.id);
      expectProblem(notYours, 403);
      expect(notYours.body.detail).to.equal('只能撤回本人上传的材料');
      expect((await checklistEntry(mine.id, 'eia')).mayWithdraw).to.equal(false);
      expectProblem(await withdraw(team.otherOwner, byStaff.id), 404);
      expectProblem(await withdraw(team.leader, byStaff.id), 403);
      expect((await withdraw(team.staff, byStaff.id)).status).to.equal(200);
    });

    it('lets an owner withdraw only while they may still add files to the project', async () => {
      const moving = await createProject(team.owner, projectBody());
      await review(team.staff, (await upload(team.owner, moving.id, 'proposal')).id, 'accept');
      const late = await upload(team.owner, moving.id, 'energy_review');
      await advance(team.owner, await getProject(team.owner, moving.id), 'SUBMIT');
      expectProblem(await withdraw(team.owner, late.id), 403);
      expect(await checklistEntry(moving.id, 'energy_review')).to.include({ state: 'pending', mayWithdraw: false });
    });
  });

  it('sends the uploader of a project that moved on a 403: owners add files while preparing only', async () => {
    const moving = await createProject(team.owner, projectBody());
    await review(team.staff, (await upload(team.owner, moving.id, 'proposal')).id, 'accept');
    const inReview = await advance(team.owner, await getProject(team.owner, moving.id), 'SUBMIT');
    expectProblem(await uploadFile(team.owner, inReview.id, 'energy_review', minimalPdf('late'), '节能审查意见.pdf'), 403);
    expect((await uploadFile(team.staff, inReview.id, 'energy_review', minimalPdf('by staff'), '节能审查意见.pdf')).status).to.equal(201);
  });
});
