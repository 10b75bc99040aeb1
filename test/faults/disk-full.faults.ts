/**
 * The uploads disk fills up (issue 7, faults 5): UPLOADS_DIR is a 5 MB tmpfs (mounting
 * it needs root, which CI and the development machines have). An upload that does not
 * fit is a 507 with a Chinese message, leaves nothing behind, and nothing else breaks.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { listStoredFiles } from '../../src/integrity/stored-files';
import { newWorkDir, startChildServer, type ChildServer } from '../support/child-server';
import { createProject, expectProblem, getProject, upload, uploadFile } from '../support/fixtures';
import { sha256 } from '../support/files';
import { checkWorkDir } from '../support/scripts';
import { ownerAndStaff, pdfOfSize, temporaryFiles } from './support';

const run = promisify(execFile);
const DISK = '5m';

describe('fault: the uploads disk is full', function () {
  this.timeout(180_000);
  let workDir: string;
  let uploadsDir: string;
  let mounted = false;
  let child: ChildServer | undefined;

  before(async () => {
    workDir = await newWorkDir();
    uploadsDir = path.join(workDir, 'uploads');
    await mkdir(uploadsDir, { recursive: true });
    try {
      await run('mount', ['-t', 'tmpfs', '-o', `size=${DISK}`, 'tmpfs', uploadsDir]);
    } catch (error) {
      throw new Error(`this test mounts a ${DISK} tmpfs and needs root: ${(error as Error).message}`, { cause: error });
    }
    mounted = true;
    child = await startChildServer({ workDir });
  });

  after(async () => {
    await child?.stop();
    if (mounted) await run('umount', [uploadsDir]);
    await rm(workDir, { recursive: true, force: true });
  });

  it('answers 507 with a clear message, keeps no part of the file, and everything else goes on working', async () => {
    const { owner, staff } = await ownerAndStaff(child!.url);
    const project = await createProject(owner);
    const before = await upload(owner, project.id, 'proposal', '项目建议书.pdf', pdfOfSize(1_000_000, 'fits'));

    const tooBig = await uploadFile(owner, project.id, 'eia', pdfOfSize(6_000_000, 'does not fit'), '环评报告（扫描件）.pdf');
    expectProblem(tooBig, 507);
    expect(tooBig.body.title).to.equal('存储空间不足');
    expect(tooBig.body.detail).to.match(/存储空间已满/);
    expect(await temporaryFiles(uploadsDir), 'nothing half-written left').to.deep.equal([]);
    expect(await listStoredFiles(uploadsDir)).to.deep.equal([`${before.sha256.slice(0, 2)}/${before.sha256}`]);

    // The rest of the service is untouched: reads, downloads, reviews, events, health.
    expect((await owner.get('/healthz')).status).to.equal(200);
    const content = await owner.get(`/api/documents/${before.id}/content`);
    expect(sha256(content.body)).to.equal(before.sha256);
    expect((await staff.post(`/api/documents/${before.id}/review`, { decision: 'accept' })).status).to.equal(200);
    const current = await getProject(owner, project.id);
    expect(current.dossier.find((d: any) => d.docType === 'eia')?.state ?? 'missing').not.to.equal('pending');
    expect((await owner.post(`/api/projects/${project.id}/events`, { type: 'SUBMIT', expectedVersion: current.version })).status).to.equal(200);
    // A file that fits is taken again straight away.
    await upload(owner, (await createProject(owner)).id, 'proposal', '第二个项目建议书.pdf', pdfOfSize(500_000, 'fits again'));

    await child!.stop();
    const check = await checkWorkDir(workDir);
    expect(check.report.violations).to.deep.equal([]);
  });
});
