/**
 * One process at a time starts the embedded database on a DATA_DIR (src/db/data-dir-lock.ts): a second
 * service refuses, tools that write refuse while the service runs, tools that read use the service's
 * database, and a service killed outright blocks nobody for long.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { ApiClient } from './support/client';
import { startChildServer, type ChildServer } from './support/child-server';
import { adminClient, createOrganisation, createProject, projectBody, signedInUser, upload } from './support/fixtures';
import { checkWorkDir, runScript, workDirEnv } from './support/scripts';
import { eventually, sleep } from './faults/support';

const execFileAsync = promisify(execFile);

/** Starts a second service on `workDir`; its error when it refuses, undefined (after stopping it) when it starts. */
async function secondServiceRefusal(workDir: string): Promise<Error | undefined> {
  try {
    const second = await startChildServer({ workDir });
    await second.stop();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

describe('one process at a time on the embedded database’s DATA_DIR', function () {
  this.timeout(240_000);
  const archive = path.join(os.tmpdir(), `fundflow-lock-test-${process.pid}.tar.gz`);
  let service: ChildServer;
  let restarted: ChildServer | undefined;
  let staff: ApiClient;
  let staffLogin: Awaited<ReturnType<typeof signedInUser>>;
  let projectId: string;

  /** The one project and its file, as the service serves them. */
  const served = async (client: ApiClient) => {
    const documents = await client.get(`/api/projects/${projectId}/documents`);
    expect(documents.status).to.equal(200);
    expect(documents.body.items).to.have.length(1);
    expect((await client.get(`/api/documents/${documents.body.items[0].id}/content`)).status).to.equal(200);
  };

  before(async () => {
    service = await startChildServer();
    const admin = await adminClient(service.url);
    const owner = await signedInUser(admin, 'owner', await createOrganisation(admin));
    staffLogin = await signedInUser(admin, 'staff');
    staff = staffLogin.client;
    projectId = (await createProject(owner.client, projectBody())).id;
    await upload(owner.client, projectId, 'proposal', '项目建议书.pdf');
  });

  after(async () => {
    await restarted?.stop();
    await service?.dispose();
    await rm(archive, { force: true });
  });

  it('refuses a second service on the same DATA_DIR, naming the one that holds it; the first keeps serving', async () => {
    const refusal = await secondServiceRefusal(service.workDir);
    expect(refusal, 'a second service started').to.be.an('error');
    expect(refusal!.message).to.match(/exited \(1\)/).and.match(new RegExp(`正被服务（进程 ${service.process.pid}`));
    expect(await service.databasePids()).to.have.length(1);
    await served(staff);
  });

  it('backs up and checks the running service through its database, starting no second one', async () => {
    const databases = await service.databasePids();
    expect(databases).to.have.length(1);
    const seen = new Set(databases);
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const pid of await service.databasePids()) seen.add(pid);
        await sleep(50);
      }
    })();
    let backup, check;
    try {
      backup = await runScript('backup.ts', [archive], workDirEnv(service.workDir));
      check = await checkWorkDir(service.workDir);
    } finally {
      watching = false;
      await watcher;
    }
    expect(backup.code, backup.stdout + backup.stderr).to.equal(0);
    expect(check.code, check.run.stdout + check.run.stderr).to.equal(0);
    expect(check.report.projects).to.equal(1);
    expect([...seen], 'database processes on this DATA_DIR while the tools ran').to.deep.equal(databases);
    const manifest = JSON.parse((await execFileAsync('tar', ['-xzOf', archive, 'manifest.json'])).stdout);
    expect(manifest.collections.find((c: any) => c.name === 'projects').documents).to.equal(1);
    expect(manifest.files).to.have.length(1);
    await served(staff);
  });

  it('refuses npm run restore --force while the service runs, and the service’s data stays', async () => {
    const run = await runScript('restore.ts', [archive, '--force'], workDirEnv(service.workDir));
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(new RegExp(`正被服务（进程 ${service.process.pid}`)).and.match(/请先停止它/);
    expect(run.stderr).not.to.match(/\n\s+at /);
    await served(staff);
  });

  it('still holds DATA_DIR after the service has restarted its database, which the backup still reads', async () => {
    await service.killDatabase();
    await eventually('healthy again', async () => (await new ApiClient(service.url).get('/healthz')).status === 200, 60_000);
    const restore = await runScript('restore.ts', [archive, '--force'], workDirEnv(service.workDir));
    expect(restore.code).to.equal(2);
    const backup = await runScript('backup.ts', [archive], workDirEnv(service.workDir));
    expect(backup.code, backup.stdout + backup.stderr).to.equal(0);
    expect(await service.databasePids()).to.have.length(1);
    await served(staff);
  });

  it('lets a new service start on the DATA_DIR of one killed with SIGKILL, once the old database has gone', async () => {
    service.process.kill('SIGKILL');
    const started = Date.now();
    restarted = await startChildServer({ workDir: service.workDir });
    expect(Date.now() - started, 'ms until the new service was up').to.be.below(60_000);
    expect(await restarted.databasePids()).to.have.length(1);
    const client = new ApiClient(restarted.url);
    expect((await client.login(staffLogin.username, staffLogin.password)).status).to.equal(200);
    await served(client);
  });
});
