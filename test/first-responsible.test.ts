import { expect } from 'chai';
import { createProject, createTeam, expectProblem, historyOf, signedInUser, upload, type Team, type TestUser } from './support/fixtures';

/**
 * 首问负责制 and 限时办结 by member of staff (issue 15, item 3): the first member
 * of staff to take a project's reviews handles them; another may only have
 * them handed on with a reason; the bureau head sees per member of staff what
 * waits on them and what is overdue.
 */
describe('first responsible: who handles a project’s reviews, and what waits on each of them', function () {
  this.timeout(120_000);
  let team: Team;
  let second: TestUser;
  let projectId: string;

  before(async () => {
    team = await createTeam();
    second = await signedInUser(team.admin, 'staff');
    projectId = (await createProject(team.owner)).id;
    await upload(team.owner, projectId, 'proposal');
    await upload(team.owner, projectId, 'eia');
  });

  const handlerOf = async (id: string) => (await team.staff.get(`/api/projects/${id}`)).body.project.responsibility?.staffId;

  it('makes the first member of staff to take the reviews its 经办人, in the history', async () => {
    const taken = await team.staff.post(`/api/projects/${projectId}/responsibility/take`);
    expect(taken.status, JSON.stringify(taken.body)).to.equal(200);
    expect(taken.body.project.responsibility).to.include({ staffId: team.staff.user!.id });
    const again = await team.staff.post(`/api/projects/${projectId}/responsibility/take`);
    expect(again.status, 'taking one’s own again changes nothing').to.equal(200);
    expect((await historyOf(team.staff, projectId)).filter((e) => e.event === 'RESPONSIBILITY')).to.have.length(1);
  });

  it('refuses another member of staff taking it (409, naming who handles it), and owners and leaders (403)', async () => {
    const res = await second.client.post(`/api/projects/${projectId}/responsibility/take`);
    expectProblem(res, 409);
    expect(res.body.detail).to.contain('首问负责');
    expectProblem(await team.owner.post(`/api/projects/${projectId}/responsibility/take`), 403);
    expectProblem(await team.leader.post(`/api/projects/${projectId}/responsibility/take`), 403);
    expect(await handlerOf(projectId)).to.equal(team.staff.user!.id);
  });

  it('hands it on only with a reason, kept in the history; in bulk as well', async () => {
    const bare = await team.staff.put(`/api/projects/${projectId}/responsibility`, { staffId: second.id });
    expectProblem(bare, 422);
    expect(bare.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['reason']);
    expectProblem(await team.staff.post('/api/projects/responsibility', { projectIds: [projectId], staffId: null }), 422);
    expect(await handlerOf(projectId)).to.equal(team.staff.user!.id);

    const handed = await team.staff.put(`/api/projects/${projectId}/responsibility`, { staffId: second.id, reason: '原经办人外出学习，转交同科室同志' });
    expect(handed.status, JSON.stringify(handed.body)).to.equal(200);
    const entry = (await historyOf(team.staff, projectId)).filter((e) => e.event === 'RESPONSIBILITY').at(-1);
    expect(entry.reason).to.equal('原经办人外出学习，转交同科室同志');
    expect(await handlerOf(projectId)).to.equal(second.id);
  });

  it('counts, per member of staff, the projects they handle and the reviews and files waiting, and those nobody handles', async () => {
    const unhandled = (await createProject(team.owner)).id;
    await upload(team.owner, unhandled, 'proposal');
    const res = await team.leader.get('/api/stats/review-load');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const line = res.body.staff.find((s: { staffId: string }) => s.staffId === second.id);
    expect(line.name).to.be.a('string').and.not.equal(second.id);
    expect(line).to.deep.include({ projects: 1, files: { waiting: 2, overdue: 0 }, reviews: { waiting: 0, overdue: 0 } });
    expect(res.body.staff.some((s: { staffId: string }) => s.staffId === team.staff.user!.id), 'handed on: no longer theirs').to.equal(false);
    expect(res.body.unassigned.files.waiting).to.be.at.least(1);
    expectProblem(await team.owner.get('/api/stats/review-load'), 403);
  });
});
