import { expect } from 'chai';
import { startChildServer, type ChildServer } from './support/child-server';
import { ApiClient } from './support/client';
import { sha256 } from './support/files';
import {
  acceptAll,
  adminClient,
  advance,
  bringTo,
  createProject,
  createOrganisation,
  getProject,
  historyOf,
  requiredDocuments,
  signedInUser,
} from './support/fixtures';

/** The same browser session, talking to the service at its new address. */
function sameSession(client: ApiClient, url: string): ApiClient {
  const moved = new ApiClient(url);
  moved.useSessionCookie(client.sessionCookie, client.csrf);
  return moved;
}

describe('a restart in the middle of a project', function () {
  this.timeout(240_000);
  let child: ChildServer | undefined;

  after(async () => {
    await child?.dispose();
  });

  it('resumes at the same stage and version, with its history and files, and goes on from there', async () => {
    child = await startChildServer();
    const admin = await adminClient(child.url);
    const orgId = await createOrganisation(admin);
    const [owner, staff] = await Promise.all([signedInUser(admin, 'owner', orgId), signedInUser(admin, 'staff')]);
    let team = { owner: owner.client, staff: staff.client };
    let project = await bringTo(team, await createProject(team.owner), 'preliminary');
    const [approvalDoc] = await acceptAll(team.owner, team.staff, project.id, ['approval_doc']);
    const before = await getProject(team.staff, project.id);
    const historyBefore = await historyOf(team.staff, project.id);
    expect(before).to.include({ stage: 'preliminary' });

    const exit = await child.stop();
    expect(exit.forced, child.output()).to.equal(false);
    child = await startChildServer({ workDir: child.workDir });

    const url = child.url;
    team = { owner: sameSession(team.owner, url), staff: sameSession(team.staff, url) };
    const after = await getProject(team.staff, project.id);
    expect(after).to.include({ stage: 'preliminary', version: before.version, machineVersion: before.machineVersion });
    expect(after.dossier).to.deep.equal(before.dossier);
    expect(await historyOf(team.staff, project.id)).to.deep.equal(historyBefore);
    expect((await getProject(team.owner, project.id)).availableEvents).to.deep.equal(['SUBMIT', 'WITHDRAW']);

    const file = await team.staff.get(`/api/documents/${approvalDoc.id}/content`);
    expect(file.status).to.equal(200);
    expect(sha256(file.body)).to.equal(approvalDoc.sha256);

    const rest = requiredDocuments.central_budget.preliminary.filter((t) => t !== 'approval_doc');
    await acceptAll(team.owner, team.staff, project.id, rest);
    project = await advance(team.owner, await getProject(team.owner, project.id), 'SUBMIT');
    project = await advance(team.staff, project, 'APPROVE');
    expect(project.stage).to.equal('submitted');
    expect(await historyOf(team.staff, project.id)).to.have.length(project.version);
  });
});
