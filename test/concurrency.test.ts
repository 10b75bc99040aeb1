import { expect } from 'chai';
import { minimalPdf } from '../src/demo/sample-files';
import {
  bringTo,
  createProject,
  sharedTeam,
  expectProblem,
  getProject,
  historyOf,
  projectBody,
  sendEvent,
  upload,
  uploadFile,
  type EventExtras,
  type Team,
} from './support/fixtures';

const AT_ONCE = 20;
/** A race may happen to come out right by luck of timing; several in a row rarely all do. */
const ROUNDS = 3;

/** Sends all the events at the same expected version, at once; returns the answers in order. */
async function race(team: Team, project: { id: string; version: number }, events: [string, EventExtras?][]) {
  // Open the connections first, so that the racing requests leave together instead of one per handshake.
  await Promise.all(events.map(() => team.staff.get('/api/auth/me')));
  return Promise.all(events.map(([type, extras]) => sendEvent(team.staff, project, type, extras)));
}

function expectOneWinner(answers: { status: number; body: any; headers: Headers }[], round: number) {
  const statuses = `round ${round}: ${JSON.stringify(answers.map((a) => a.status))}`;
  expect(answers.filter((a) => a.status === 200), statuses).to.have.length(1);
  expect(answers.filter((a) => a.status === 409), statuses).to.have.length(answers.length - 1);
  for (const loser of answers.filter((a) => a.status === 409)) expectProblem(loser, 409);
  return answers.findIndex((a) => a.status === 200);
}

describe('concurrent changes to one project', () => {
  let team: Team;
  before(async function () {
    this.timeout(60_000); // creating users hashes their passwords (Argon2id)
    team = await sharedTeam();
  });

  it(`of ${AT_ONCE} identical APPROVEs sent at once, exactly one wins: one history entry, version + 1`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const project = await bringTo(team, await createProject(team.owner), 'reserve_review');
      expectOneWinner(await race(team, project, Array.from({ length: AT_ONCE }, () => ['APPROVE'] as [string])), round);

      const after = await getProject(team.staff, project.id);
      expect(after).to.include({ stage: 'reserve', version: project.version + 1 });
      const history = await historyOf(team.staff, project.id);
      expect(history.filter((h) => h.event === 'APPROVE')).to.have.length(1);
      expect(history).to.have.length(after.version);
    }
  });

  it(`of ${AT_ONCE} conflicting decisions (APPROVE, RETURN, REJECT) at once, exactly one lands and decides the stage`, async () => {
    const choices: [string, EventExtras?][] = [['APPROVE'], ['RETURN', { reason: '请补正材料' }], ['REJECT', { reason: '不符合入库条件' }]];
    const events = Array.from({ length: AT_ONCE }, (_, i) => choices[i % choices.length]!);
    for (let round = 1; round <= ROUNDS; round++) {
      const project = await bringTo(team, await createProject(team.owner), 'reserve_review');
      const [type] = events[expectOneWinner(await race(team, project, events), round)]!;

      const after = await getProject(team.staff, project.id);
      expect(after).to.include({ stage: { APPROVE: 'reserve', RETURN: 'draft', REJECT: 'rejected' }[type], version: project.version + 1 });
      const decisions = (await historyOf(team.staff, project.id)).filter((h) => ['APPROVE', 'RETURN', 'REJECT'].includes(h.event));
      expect(decisions.map((h) => h.event)).to.deep.equal([type]);
    }
  });

  it(`of ${AT_ONCE} disbursements at once on one version, one is recorded: a self-loop is guarded by the version alone`, async () => {
    let project = await bringTo(team, await createProject(team.owner, projectBody()), 'implementation');
    const recorded: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Each a different amount, so that the one recorded is the one whose sender was told so.
      const events = Array.from({ length: AT_ONCE }, (_, i): [string, EventExtras] => [
        'RECORD_DISBURSEMENT',
        { data: { amount: round * 100_000 + i + 1, date: '2026-08-01' } },
      ]);
      const winner = expectOneWinner(await race(team, project, events), round);
      recorded.push(events[winner]![1].data!.amount as number);

      const after = await getProject(team.staff, project.id);
      expect(after).to.include({ stage: 'implementation', version: project.version + 1 });
      expect(after.disbursements.map((d: any) => d.amount)).to.deep.equal(recorded);
      project = after;
    }
    const history = await historyOf(team.staff, project.id);
    expect(history.filter((h) => h.event === 'RECORD_DISBURSEMENT').map((h) => h.data.amount)).to.deep.equal(recorded);
  });

  it('an event sent with the version read before an upload is stale (409); with the new one it passes', async () => {
    const project = await createProject(team.owner);
    const document = await upload(team.owner, project.id, 'proposal');
    await team.staff.post(`/api/documents/${document.id}/review`, { decision: 'accept' });
    expectProblem(await sendEvent(team.owner, project, 'SUBMIT'), 409);
    const current = await getProject(team.owner, project.id);
    expect((await sendEvent(team.owner, current, 'SUBMIT')).status).to.equal(200);
  });

  it('files uploaded together all land, with distinct version numbers, and staff can review them together', async () => {
    const project = await createProject(team.owner);
    const types = ['approval_doc', 'land_use', 'eia', 'fund_application_report', 'proposal', 'proposal', 'proposal'];
    const answers = await Promise.all(types.map((docType, i) => uploadFile(team.owner, project.id, docType, minimalPdf(`together ${i}`), `${docType}-${i}.pdf`)));
    expect(answers.map((a) => a.status), JSON.stringify(answers.map((a) => a.body))).to.deep.equal(types.map(() => 201));
    const proposals = answers.filter((a) => a.body.document.docType === 'proposal').map((a) => a.body.document.version);
    expect(proposals).to.have.members([1, 2, 3]);

    const reviews = await Promise.all(
      answers.map((a) => team.staff.post(`/api/documents/${a.body.document.id}/review`, { decision: 'accept' })),
    );
    expect(reviews.map((r) => r.status), JSON.stringify(reviews.map((r) => r.body))).to.deep.equal(types.map(() => 200));
    const after = await getProject(team.owner, project.id);
    expect(after.version).to.equal(1 + 2 * types.length);
    expect(after.dossier.filter((d: any) => d.state === 'accepted').map((d: any) => d.docType)).to.have.members([
      'proposal',
      'approval_doc',
      'land_use',
      'eia',
      'fund_application_report',
    ]);
  });
});
