import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createGunzip, createGzip } from 'node:zlib';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { readTar, TarWriter } from '../src/backup/tar';
import { listStoredFiles } from '../src/integrity/stored-files';
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

interface Archive {
  manifest: any;
  /** Every entry after the manifest, in order. */
  entries: { name: string; bytes: Buffer }[];
}

async function readArchive(file: string): Promise<Archive> {
  const archive: Archive = { manifest: undefined, entries: [] };
  for await (const entry of readTar(createReadStream(file).pipe(createGunzip()))) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry.content) chunks.push(chunk);
    if (entry.name === 'manifest.json') archive.manifest = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    else archive.entries.push({ name: entry.name, bytes: Buffer.concat(chunks) });
  }
  return archive;
}

/** Writes an archive as the backup does; tests change one before writing it, as a damaged disk, a bad transfer or an older version would. */
async function writeArchive(file: string, archive: Archive): Promise<void> {
  const gzip = createGzip();
  const written = gzip.pipe(createWriteStream(file));
  const tar = new TarWriter(gzip);
  const manifest = Buffer.from(JSON.stringify(archive.manifest));
  await tar.add('manifest.json', manifest.length, manifest);
  for (const { name, bytes } of archive.entries) await tar.add(name, bytes.length, bytes);
  await tar.end();
  await once(written, 'close');
}

const { EJSON } = mongoose.mongo.BSON;
const ejsonLines = (documents: object[]) => Buffer.from(documents.map((d) => `${EJSON.stringify(d, { relaxed: false })}\n`).join(''));

/** Adds a collection to an archive, listed in its manifest as the backup lists one. */
function addCollection(archive: Archive, name: string, documents: object[]): void {
  const bytes = ejsonLines(documents);
  const entry = `collections/${name}.ejson`;
  archive.manifest.collections.push({ name, documents: documents.length, entry, bytes: bytes.length });
  archive.entries.push({ name: entry, bytes });
}

/** The session cookie express-session would set for session `sid` under `secret`. */
function signedSessionCookie(sid: string, secret: string): string {
  const signature = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  return `fundflow.sid=${encodeURIComponent(`s:${sid}.${signature}`)}`;
}

/** What `npm run check` sees, and every stored file: to compare a system before and after a restore that must change nothing. */
async function stateOf(workDir: string) {
  const check = await checkWorkDir(workDir);
  return { projects: check.report.projects, documents: check.report.documents, violations: check.report.violations, files: await listStoredFiles(path.join(workDir, 'uploads')) };
}

describe('backup and restore (npm run backup / npm run restore, as processes)', function () {
  this.timeout(240_000);
  const archive = path.join(os.tmpdir(), `fundflow-backup-test-${process.pid}.tar.gz`);
  const changed = `${archive}.changed.tar.gz`;
  let source: ChildServer;
  let restored: ChildServer | undefined;
  let targetDir: string;
  let original: Awaited<ReturnType<typeof snapshot>>;
  let staffLogin: { username: string; password: string };
  let owner: { id: string; cookie?: string; csrf?: string };
  const emptyDirs: string[] = [];
  const emptyDir = async () => {
    const dir = await newWorkDir();
    emptyDirs.push(dir);
    return dir;
  };

  before(async () => {
    source = await startChildServer();
    const admin = await adminClient(source.url);
    const orgId = await createOrganisation(admin);
    const ownerUser = await signedInUser(admin, 'owner', orgId);
    const staff = await signedInUser(admin, 'staff');
    const team = { owner: ownerUser.client, staff: staff.client };
    staffLogin = staff;
    // Projects in several stages, with accepted, replaced and Chinese-named files.
    await bringTo(team, await createProject(ownerUser.client, specialBondBody()), 'implementation');
    await bringTo(team, await createProject(ownerUser.client, projectBody({ performanceTargets })), 'evaluated');
    const draft = await createProject(ownerUser.client, projectBody({ name: unique('备份测试草稿项目') }));
    await upload(ownerUser.client, draft.id, 'proposal', '项目建议书（第一稿）.pdf');
    await upload(ownerUser.client, draft.id, 'proposal', '项目建议书（第二稿）.pdf');
    owner = { id: ownerUser.id, cookie: ownerUser.client.sessionCookie, csrf: ownerUser.client.csrf };
    original = await snapshot(staff.client);
    expect(original.projects.length).to.equal(3);
    expect((await source.stop()).forced).to.equal(false);
  });

  after(async () => {
    await source?.dispose();
    await restored?.dispose();
    for (const dir of [targetDir, ...emptyDirs]) if (dir) await rm(dir, { recursive: true, force: true });
    await rm(archive, { force: true });
    await rm(changed, { force: true });
  });

  it('writes one .tar.gz that any tar lists: the manifest first, every collection, every stored file', async () => {
    const run = await runScript('backup.ts', [archive], workDirEnv(source.workDir));
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.match(/已备份到/);
    const { stdout } = await execFileAsync('tar', ['-tzf', archive]);
    const names = stdout.trim().split('\n');
    expect(names[0]).to.equal('manifest.json');
    expect(names).to.include.members(['collections/projects.ejson', 'collections/users.ejson', 'collections/organisations.ejson', 'collections/dossier_documents.ejson', 'collections/project_history.ejson']);
    const documents = Object.values(original.documents).flat();
    const stored = new Set(documents.map((d) => `uploads/${d.sha256.slice(0, 2)}/${d.sha256}`));
    expect(names.filter((n) => n.startsWith('uploads/'))).to.have.members([...stored]);
  });

  it('leaves out the sessions and the secret that signs their cookies, and is readable by its owner only', async () => {
    const { stdout } = await execFileAsync('tar', ['-tzf', archive]);
    expect(stdout.trim().split('\n')).not.to.include.members(['collections/sessions.ejson']).and.not.to.include('collections/secrets.ejson');
    expect((await stat(archive)).mode & 0o777).to.equal(0o600);
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

  it('brings back the same system: ids, dates, stages, versions, histories and files; everybody logs in again', async () => {
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
    const signedIn = new ApiClient(restored.url);
    signedIn.useSessionCookie(owner.cookie, owner.csrf);
    expect((await signedIn.get('/api/auth/me')).status, 'a session from before the backup').to.equal(401);
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

  it('changes nothing when the archive named with --force does not exist', async () => {
    const before = await stateOf(targetDir);
    const run = await runScript('restore.ts', [`${archive}.mistyped`, '--force'], workDirEnv(targetDir));
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/找不到备份文件/);
    expect(await stateOf(targetDir)).to.deep.equal(before);
  });

  it('changes nothing when an archive breaks off in its last collection (--force over a different system)', async () => {
    const broken = await readArchive(archive);
    // One project fewer than the target, so that a restore applied even in part would show.
    const projects = broken.entries.find((e) => e.name === 'collections/projects.ejson')!;
    projects.bytes = Buffer.from(projects.bytes.toString('utf8').split('\n').slice(1).join('\n'));
    const listed = broken.manifest.collections.find((c: any) => c.name === 'projects');
    listed.documents -= 1;
    listed.bytes = projects.bytes.length;
    const last = broken.manifest.collections.at(-1);
    expect(broken.entries.at(-1)!.name).to.equal(last.entry);
    last.documents += 1;
    await writeArchive(changed, broken);

    const before = await stateOf(targetDir);
    expect(before.projects).to.equal(3);
    const run = await runScript('restore.ts', [changed, '--force'], workDirEnv(targetDir));
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(new RegExp(`集合 ${last.name} 应有`));
    expect(await stateOf(targetDir)).to.deep.equal(before);
  });

  it('refuses an archive with a damaged file, naming it, and leaves the database and the uploads empty', async () => {
    const damaged = await readArchive(archive);
    const files = damaged.entries.filter((e) => e.name.startsWith('uploads/'));
    expect(files.length).to.be.greaterThan(1);
    // The last file, so that the ones before it are already read and checked.
    const { bytes } = files.at(-1)!;
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 2) ^ 0xff, bytes.length - 2);
    await writeArchive(changed, damaged);
    const dir = await emptyDir();
    const run = await runScript('restore.ts', [changed], workDirEnv(dir));
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/uploads\/|[0-9a-f]{2}\/[0-9a-f]{64}/).and.match(/已损坏/);
    expect(await stateOf(dir)).to.deep.equal({ projects: 0, documents: 0, violations: [], files: [] });
  });

  it('restores an archive written before sessions were left out, without its sessions and secret', async () => {
    const older = await readArchive(archive);
    const secret = randomBytes(32).toString('hex');
    const sid = randomBytes(16).toString('hex');
    const expires = new Date(Date.now() + 3_600_000);
    addCollection(older, 'secrets', [{ _id: 'session', value: secret }]);
    addCollection(older, 'sessions', [
      { _id: sid, expires, session: { cookie: { originalMaxAge: 3_600_000, expires: expires.toISOString(), httpOnly: true, path: '/', sameSite: 'lax' }, userId: owner.id } },
    ]);
    await writeArchive(changed, older);
    const dir = await emptyDir();
    const run = await runScript('restore.ts', [changed], workDirEnv(dir));
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    await restored!.stop();
    restored = await startChildServer({ workDir: dir });
    const carried = new ApiClient(restored.url);
    carried.useSessionCookie(signedSessionCookie(sid, secret));
    expect((await carried.get('/api/auth/me')).status, 'a session carried in an older archive').to.equal(401);
    expect((await new ApiClient(restored.url).login(staffLogin.username, staffLogin.password)).status).to.equal(200);
  });

  it('refuses a file that is not a backup, without a stack trace', async () => {
    const dir = await emptyDir();
    const run = await runScript('restore.ts', [path.join(process.cwd(), 'package.json')], workDirEnv(dir));
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/无法读取备份文件/);
    expect(run.stderr).not.to.match(/\n\s+at /);
  });
});
