/**
 * The service is SIGKILLed in the middle of uploads and events, then started again on
 * the same folders (issue 7, faults 4): the half-written uploads are cleaned away at
 * start, never served, no record points at a missing file, and every success the
 * service reported before it died is still there.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { startChildServer, type ChildServer } from '../support/child-server';
import { bringTo, createProject, projectBody } from '../support/fixtures';
import { sha256 } from '../support/files';
import { checkWorkDir } from '../support/scripts';
import { ApiClient } from '../support/client';
import { eventually, heldUpload, ownerAndStaff, pdfOfSize, temporaryFiles } from './support';

describe('fault: the service is killed mid-upload and mid-events', function () {
  this.timeout(300_000);
  let child: ChildServer;
  let again: ChildServer | undefined;

  after(async () => {
    await again?.dispose();
    if (!again) await child?.dispose();
  });

  it('restarts clean: no temporary files, every file of every record intact, every reported success kept', async () => {
    child = await startChildServer();
    const uploadsDir = path.join(child.workDir, 'uploads');
    const { owner, staff } = await ownerAndStaff(child.url);
    const busy = await bringTo({ owner, staff }, await createProject(owner, projectBody()), 'implementation');
    const draft = await createProject(owner, projectBody());

    // Uploads held half-way: the service has temporary files and no record for them.
    const held = [0, 1, 2].map((n) => heldUpload(owner, draft.id, 'proposal', pdfOfSize(8_000_000, `held-${n}`), `未传完的文件-${n}.pdf`));
    await eventually('the held uploads reach the disk', async () => (await temporaryFiles(uploadsDir)).length === held.length, 20_000);

    // Events and complete uploads racing the kill; whatever was answered with success must survive.
    const confirmed: { version: number }[] = [];
    const stored: { id: string; sha256: string }[] = [];
    let version = busy.version;
    let killed = false;
    const events = (async () => {
      for (let n = 0; !killed; n++) {
        const res = await staff
          .post(`/api/projects/${busy.id}/events`, { type: 'RECORD_PROGRESS', expectedVersion: version, data: { percent: n % 100, note: `进展 ${n}` } })
          .catch(() => undefined);
        if (res?.status === 200) confirmed.push({ version: (version = res.body.project.version) });
      }
    })();
    const uploads = (async () => {
      for (let n = 0; !killed; n++) {
        const bytes = pdfOfSize(1_000_000, `complete-${n}`);
        const form = new FormData();
        form.append('docType', 'eia');
        form.append('file', new Blob([bytes]), `环评-${n}.pdf`);
        const res = await owner.request('POST', `/api/projects/${draft.id}/documents`, { form }).catch(() => undefined);
        if (res?.status === 201) stored.push({ id: res.body.document.id, sha256: sha256(bytes) });
      }
    })();
    await eventually('some events and uploads land before the kill', async () => confirmed.length >= 3 && stored.length >= 2, 30_000);
    child.process.kill('SIGKILL');
    killed = true;
    await Promise.all([events, uploads]);
    for (const { response } of held) expect(await response).to.be.instanceOf(Error);
    await eventually('the killed service\'s database goes away with it', async () => (await child.databasePids()).length === 0, 15_000);
    expect((await temporaryFiles(uploadsDir)).length, 'half-written uploads left by the kill').to.be.at.least(held.length);

    again = await startChildServer({ workDir: child.workDir });
    expect(await temporaryFiles(uploadsDir), 'temporary files after the restart').to.deep.equal([]);
    const staffAgain = new ApiClient(again.url);
    staffAgain.useSessionCookie(staff.sessionCookie, staff.csrf);

    const history = (await staffAgain.get(`/api/projects/${busy.id}/history`)).body.items;
    for (const { version: v } of confirmed) expect(history[v - 1]?.event, `event at version ${v}`).to.equal('RECORD_PROGRESS');
    const documents = (await staffAgain.get(`/api/projects/${draft.id}/documents`)).body.items;
    for (const { id, sha256: expected } of stored) expect(documents.find((d: any) => d.id === id)?.sha256, id).to.equal(expected);
    expect(documents.map((d: any) => d.fileName)).not.to.include.members(held.map((_, n) => `未传完的文件-${n}.pdf`));
    // Every file of every record is served whole, as recorded.
    for (const document of documents) {
      const content = await staffAgain.get(`/api/documents/${document.id}/content`);
      expect(content.status).to.equal(200);
      expect(sha256(content.body), document.fileName).to.equal(document.sha256);
    }
    // And the service goes on taking events and files.
    const current = (await staffAgain.get(`/api/projects/${busy.id}`)).body.project;
    expect((await staffAgain.post(`/api/projects/${busy.id}/events`, { type: 'RECORD_PROGRESS', expectedVersion: current.version, data: { percent: 99, note: '重启后' } })).status).to.equal(200);
    console.log(`      killed with ${held.length} uploads half-way; ${confirmed.length} events and ${stored.length} uploads confirmed before, all kept`);

    expect((await again.stop()).forced).to.equal(false);
    const check = await checkWorkDir(child.workDir);
    expect(check.report.violations).to.deep.equal([]);
    // No stored file is a half-written one: each holds exactly the content its name says.
    expect(check.report.files).to.be.at.least(stored.length);
    expect(await readFile(path.join(child.workDir, 'uploads', stored[0]!.sha256.slice(0, 2), stored[0]!.sha256)).then(sha256)).to.equal(stored[0]!.sha256);
  });
});
