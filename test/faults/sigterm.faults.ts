/**
 * SIGTERM (issue 7, faults 6): the service stops taking connections, lets the requests
 * in flight finish (a stalled one is cut after the drain limit), then closes the
 * database connection and stops its FerretDB child, and exits 0.
 */
import path from 'node:path';
import { expect } from 'chai';
import { startChildServer, type ChildServer } from '../support/child-server';
import { ApiClient } from '../support/client';
import { createProject } from '../support/fixtures';
import { sha256 } from '../support/files';
import { checkWorkDir } from '../support/scripts';
import { heldUpload, ownerAndStaff, pdfOfSize, sleep, temporaryFiles, timed } from './support';

describe('fault: SIGTERM with requests in flight', function () {
  this.timeout(180_000);
  let child: ChildServer;
  let again: ChildServer | undefined;

  after(async () => {
    await again?.dispose();
    if (!again) await child?.dispose();
  });

  it('drains the request in flight, cuts a stalled one at the limit, stops FerretDB and exits 0', async () => {
    child = await startChildServer({ env: { LOG_LEVEL: 'info' } });
    const { owner } = await ownerAndStaff(child.url);
    const project = await createProject(owner);
    const finishing = pdfOfSize(4_000_000, 'finishes after SIGTERM');
    const inFlight = heldUpload(owner, project.id, 'proposal', finishing, '停机时正在上传.pdf');
    const stalled = heldUpload(owner, project.id, 'eia', pdfOfSize(4_000_000, 'never finishes'), '停机时卡住的上传.pdf');
    const uploadsDir = path.join(child.workDir, 'uploads');
    while ((await temporaryFiles(uploadsDir)).length < 2) await sleep(50);

    const exited = timed(async () => {
      child.process.kill('SIGTERM');
      return child.stop();
    });
    await sleep(500);
    const refused = await fetch(`${child.url}/healthz`).then(() => 'answered', () => 'refused');
    expect(refused, 'new connections after SIGTERM').to.equal('refused');
    inFlight.finish();
    const drained = await inFlight.response;
    expect(drained, 'the upload in flight completes').not.to.be.instanceOf(Error);
    expect((drained as any).status, JSON.stringify((drained as any).body)).to.equal(201);
    expect(await stalled.response, 'the stalled upload is cut').to.be.instanceOf(Error);

    const { value: exit, ms } = await exited;
    expect(exit, child.output()).to.include({ code: 0, forced: false });
    expect(ms, 'time to exit (ms)').to.be.below(10_000);
    expect(child.output()).to.match(/FerretDB 已停止/);
    expect(await child.databasePids(), 'the FerretDB child').to.deep.equal([]);
    console.log(`      exited 0 in ${(ms / 1000).toFixed(1)} s: one upload drained, one stalled upload cut at the drain limit`);

    again = await startChildServer({ workDir: child.workDir });
    expect(await temporaryFiles(uploadsDir)).to.deep.equal([]);
    const reader = new ApiClient(again.url);
    reader.useSessionCookie(owner.sessionCookie, owner.csrf);
    const documents = (await reader.get(`/api/projects/${project.id}/documents`)).body.items;
    expect(documents.map((d: any) => d.fileName)).to.deep.equal(['停机时正在上传.pdf']);
    expect(sha256((await reader.get(`/api/documents/${documents[0].id}/content`)).body)).to.equal(sha256(finishing));
    await again.stop();
    expect((await checkWorkDir(child.workDir)).report.violations).to.deep.equal([]);
  });
});
