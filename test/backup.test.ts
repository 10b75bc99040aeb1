import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createGunzip, createGzip } from 'node:zlib';
import { expect } from 'chai';
import { readTar, TarWriter } from '../src/backup/tar';
import { ApiClient } from './support/client';
import { newWorkDir, startChildServer, type ChildServer } from './support/child-server';
import { adminClient, bringTo, createOrganisation, createProject, performanceTargets, projectBody, signedInUser, specialBondBody, unique, upload } from './support/fixtures';
import { sha256 } from './support/files';
import { checkWorkDir, runScript, workDirEnv } from './support/scripts';
import { ADMIN } from './support/server';

const execFileAsync = promisify(execFile);

interface Snapshot {
  projects: any[];
  histories: Record<string, any[]>;
  documents: Record<string, any[]>;
}

/** Everything a staff member sees of every project, and the SHA-256 of every file as downloaded. */
async function snapshot(staff: ApiClient): Promise<Snapshot & { downloaded: Record<string, string> }> {
  const list = await staff.get('/api/projects?limit=200');
  expect(list.status).to.equal(200);
  const result = { projects: [] as any[], histories: {} as Record<string, any[]>, documents: {} as Record<string, any[]>, downloaded: {} as Record<string, string> };
  for (const { id } of list.body.items) {
    result.projects.push((await staff.get(`/api/projects/${id}`)).body.project);
    result.histories[id] = (await staff.get(`/api/projects/${id}/history`)).body.items;
    result.documents[id] = (await staff.get(`/api/projects/${id}/documents`)).body.items;
    for (const document of result.documents[id]!) {
      const content = await staff.get(`/api/documents/${document.id}/content`);
      expect(content.status).to.equal(200);
      result.downloaded[document.id] = sha256(content.body);
    }
  }
  result.projects.sort((a, b) => a.id.localeCompare(b.id));
  return result;
}

/** A copy of a backup archive with one byte of one stored file changed, as a damaged disk or transfer would leave it. */
async function damagedCopy(archive: string, copy: string): Promise<void> {
  const gzip = createGzip();
  const written = gzip.pipe(createWriteStream(copy));
  const tar = new TarWriter(gzip);
  let damaged = false;
  for await (const entry of readTar(createReadStream(archive).pipe(createGunzip()))) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry.content) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    if (!damaged && entry.name.startsWith('uploads/')) {
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 2) ^ 0xff, bytes.length - 2);
      damaged = true;
    }
    await tar.add(entry.name, bytes.length, bytes);
  }
  await tar.end();
  await once(written, 'close');
}

describe('backup and restore (npm run backup / npm run restore, as processes)', function () {
  this.timeout(240_000);
  const archive = path.join(os.tmpdir(), `fundflow-backup-test-${process.pid}.tar.gz`);
  let source: ChildServer;
  let restored: ChildServer | undefined;
  let targetDir: string;
  let original: Awaited<ReturnType<typeof snapshot>>;
  let staffLogin: { username: string; password: string };
  let ownerCookie: { cookie?: string; csrf?: string };

  before(async () => {
    source = await startChildServer();
    const admin = await adminClient(source.url);
    const orgId = await createOrganisation(admin);
    const owner = await signedInUser(admin, 'owner', orgId);
    const staff = await signedInUser(admin, 'staff');
    const team = { owner: owner.client, staff: staff.client };
    staffLogin = staff;
    // Projects in several stages, with accepted, replaced and Chinese-named files.
    await bringTo(team, await createProject(owner.client, specialBondBody()), 'implementation');
    await bringTo(team, await createProject(owner.client, projectBody({ performanceTargets })), 'evaluated');
    const draft = await createProject(owner.client, projectBody({ name: unique('备份测试草稿项目') }));
    await upload(owner.client, draft.id, 'proposal', '项目建议书（第一稿）.pdf');
    await upload(owner.client, draft.id, 'proposal', '项目建议书（第二稿）.pdf');
    ownerCookie = { cookie: owner.client.sessionCookie, csrf: owner.client.csrf };
    original = await snapshot(staff.client);
    expect(original.projects.length).to.equal(3);
    expect((await source.stop()).forced).to.equal(false);
  });

  after(async () => {
    await source?.dispose();
    await restored?.dispose();
    if (targetDir) await rm(targetDir, { recursive: true, force: true });
    await rm(archive, { force: true });
    await rm(`${archive}.damaged`, { force: true });
  });

  it('writes one .tar.gz that any tar lists: the manifest first, every collection, every stored file', async () => {
    const run = await runScript('backup.ts', [archive], workDirEnv(source.workDir));
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.match(/已备份到/);
    const { stdout } = await execFileAsync('tar', ['-tzf', archive]);
    const names = stdout.trim().split('\n');
    expect(names[0]).to.equal('manifest.json');
    expect(names).to.include.members(['collections/projects.ejson', 'collections/users.ejson', 'collections/organisations.ejson', 'collections/documentlocators.ejson', 'collections/sessions.ejson']);
    const documents = Object.values(original.documents).flat();
    const stored = new Set(documents.map((d) => `uploads/${d.sha256.slice(0, 2)}/${d.sha256}`));
    expect(names.filter((n) => n.startsWith('uploads/'))).to.have.members([...stored]);
  });

  it('restores into an empty folder: the invariant check passes and every file hashes to its record', async () => {
    targetDir = await newWorkDir();
    const run = await runScript('restore.ts', [archive], workDirEnv(targetDir));
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.match(/一致性检查通过/);
    const check = await checkWorkDir(targetDir);
    expect(check.code).to.equal(0);
    expect(check.report.violations).to.deep.equal([]);
    expect(check.report.projects).to.equal(3);
  });

  it('brings back the same system: ids, dates, stages, versions, histories, files and even the sessions', async () => {
    restored = await startChildServer({ workDir: targetDir });
    const staff = new ApiClient(restored.url);
    expect((await staff.login(staffLogin.username, staffLogin.password)).status).to.equal(200);
    const after = await snapshot(staff);
    expect(after.projects).to.deep.equal(original.projects);
    expect(after.histories).to.deep.equal(original.histories);
    expect(after.documents).to.deep.equal(original.documents);
    expect(after.downloaded).to.deep.equal(original.downloaded);
    for (const [id, documents] of Object.entries(after.documents)) {
      for (const document of documents) expect(after.downloaded[document.id], `${id} ${document.fileName}`).to.equal(document.sha256);
    }
    const owner = new ApiClient(restored.url);
    owner.useSessionCookie(ownerCookie.cookie, ownerCookie.csrf);
    expect((await owner.get('/api/auth/me')).status, 'a session from before the backup').to.equal(200);
    expect((await new ApiClient(restored.url).login(ADMIN.username, ADMIN.password)).status).to.equal(200);
  });

  it('refuses to restore over data (exit 2, nothing changed) unless --force', async () => {
    await restored!.stop();
    const run = await runScript('restore.ts', [archive], workDirEnv(targetDir));
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/目标不是空的/);
    expect(run.stderr).not.to.match(/\n\s+at /);
    const forced = await runScript('restore.ts', [archive, '--force'], workDirEnv(targetDir));
    expect(forced.code, forced.stdout + forced.stderr).to.equal(0);
    expect((await checkWorkDir(targetDir)).report.projects).to.equal(3);
  });

  it('refuses an archive with a damaged file, naming it, before it writes any record', async () => {
    await damagedCopy(archive, `${archive}.damaged`);
    const emptyDir = await newWorkDir();
    try {
      const run = await runScript('restore.ts', [`${archive}.damaged`], workDirEnv(emptyDir));
      expect(run.code).to.equal(2);
      expect(run.stderr).to.match(/uploads\/|[0-9a-f]{2}\/[0-9a-f]{64}/).and.match(/已损坏/);
      const check = await checkWorkDir(emptyDir);
      expect(check.report.projects).to.equal(0);
      expect(check.report.violations).to.deep.equal([]);
    } finally {
      await rm(emptyDir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not a backup, without a stack trace', async () => {
    const emptyDir = await newWorkDir();
    try {
      const run = await runScript('restore.ts', [path.join(process.cwd(), 'package.json')], workDirEnv(emptyDir));
      expect(run.code).to.equal(2);
      expect(run.stderr).to.match(/无法读取备份文件/);
      expect(run.stderr).not.to.match(/\n\s+at /);
    } finally {
      await rm(emptyDir, { recursive: true, force: true });
    }
  });
});
