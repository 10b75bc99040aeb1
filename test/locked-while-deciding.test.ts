import { expect } from 'chai';
import { minimalPdf } from '../src/demo/sample-files';
import {
  advance,
  bringTo,
  createProject,
  expectProblem,
  getProject,
  projectBody,
  review,
  sampleEventData,
  sharedTeam,
  unique,
  upload,
  uploadFile,
  type Team,
} from './support/fixtures';

const LOCKED = '项目已上报上级，待上级批复期间任何人不能修改项目信息，也不能上传或撤回申报材料；批复结果录入后方可继续';

describe('locked while the higher level decides (submitted)', function () {
  this.timeout(120_000);
  let team: Team;
  let project: any;
  /** A file staff added while the application was under review, left unreviewed when it was forwarded. */
  let waiting: any;

  before(async () => {
    team = await sharedTeam();
    project = await bringTo(team, await createProject(team.owner, projectBody()), 'application_review');
    waiting = await upload(team.staff, project.id, 'energy_review');
    project = await advance(team.staff, await getProject(team.staff, project.id), 'APPROVE');
    expect(project.stage).to.equal('submitted');
  });

  it('refuses an edit from every role: owner, staff, leader and administrator', async () => {
    const patch = { name: '上报后改名', expectedVersion: project.version };
    for (const [role, client] of [['owner', team.owner], ['staff', team.staff]] as const) {
      const res = await client.patch(`/api/projects/${project.id}`, patch);
      expectProblem(res, 403);
      expect(res.body.detail, role).to.equal(LOCKED);
    }
    for (const client of [team.leader, team.administrator]) expectProblem(await client.patch(`/api/projects/${project.id}`, patch), 403);
    const code = await team.staff.patch(`/api/projects/${project.id}`, { projectCode: '2025-330102-48-01-000777', expectedVersion: project.version });
    expectProblem(code, 403);
    const now = await getProject(team.staff, project.id);
    expect(now).to.include({ version: project.version, name: project.name, projectCode: project.projectCode });
  });

  it('refuses a file upload from owner and staff, before a byte is stored, and the withdrawal of a waiting file', async () => {
    for (const client of [team.owner, team.staff]) {
      const res = await uploadFile(client, project.id, 'eia', minimalPdf(unique('eia')), '环评批复（补充）.pdf');
      expectProblem(res, 403);
      expect(res.body.detail).to.equal(LOCKED);
    }
    const withdraw = await team.staff.post(`/api/documents/${waiting.id}/withdraw`, {});
    expectProblem(withdraw, 403);
    expect(withdraw.body.detail).to.equal(LOCKED);
    expect((await getProject(team.staff, project.id)).version).to.equal(project.version);
  });

  it('shows the lock on the project, with the day it was forwarded, and offers neither edit nor upload', async () => {
    for (const client of [team.owner, team.staff, team.leader]) {
      const seen = await getProject(client, project.id);
      expect(seen.affordances).to.include({ mayEdit: false, mayUpload: false });
      expect(seen.affordances.locked.since).to.equal(seen.applications.at(-1).date);
      expect(seen.affordances.locked.message).to.include(`已于 ${seen.applications.at(-1).date} 上报上级`);
      expect(seen.dossier.find((d: any) => d.docType === 'energy_review').mayWithdraw).to.equal(false);
    }
  });

  it('still lets staff review a file that was waiting, and record the decision, which lifts the lock', async () => {
    await review(team.staff, waiting.id, 'accept');
    project = await getProject(team.staff, project.id);
    expect(project.availableEvents).to.deep.equal(['RECORD_APPROVAL', 'RECORD_REJECTION']);
    project = await advance(team.staff, project, 'RECORD_APPROVAL', { data: sampleEventData('RECORD_APPROVAL', project) });
    expect(project.stage).to.equal('approved');
    expect(project.affordances.locked).to.equal(undefined);
    const res = await team.staff.patch(`/api/projects/${project.id}`, { location: '示范区东片', expectedVersion: project.version });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  });

  it('lifts the lock too when the higher level says no: back in the reserve, the owner may add files again', async () => {
    let other = await bringTo(team, await createProject(team.owner, projectBody()), 'submitted');
    expect(other.affordances.locked).to.not.equal(undefined);
    other = await advance(team.staff, other, 'RECORD_REJECTION', { reason: '本批次未获支持' });
    expect(other.stage).to.equal('reserve');
    await upload(team.owner, other.id, 'stability_assessment');
  });
});
