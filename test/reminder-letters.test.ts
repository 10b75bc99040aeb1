import { expect } from 'chai';
import { rules } from '../workflows/rules-file';
import { currentScheduleMonth, yearOfMonth } from '../workflows/schedule';
import { chinaDay } from '../workflows/working-days';
import { checkInvariants } from '../src/integrity/invariants';
import { letterRecords, type ReminderLetterRecord } from '../src/reminder-letters/reminder-letter.model';
import { finishIssuedLetters } from '../src/reminder-letters/reminder-letters.service';
import { raiseProblem } from '../src/problems/problems.service';
import type { CurrentUser } from '../src/shared/current-user';
import type { ApiClient } from './support/client';
import { createProject, createTeam, expectProblem, historyOf, signedInUser, type Team } from './support/fixtures';
import { readPdf } from './support/exports';
import { service } from './support/hooks';

/**
 * Reminder letters (提醒函, issue 15 item 5): issued by staff to a unit for its
 * projects, numbered per year, recorded in each project's history, read back in
 * the register and as PDF, told to the unit's users and to nobody else, and a
 * letter cut off after its number was claimed finished at start and reported by
 * the check meanwhile.
 */
describe('reminder letters', function () {
  this.timeout(120_000);
  const month = currentScheduleMonth(chinaDay(new Date()), rules);
  const year = yearOfMonth(month);
  let team: Team;
  let secondOwner: ApiClient;
  let behind: { id: string; name: string }[];

  /** A project of the unit planned to start in January of the figures' year, with no report since: both reasons apply. */
  async function behindProject(owner: ApiClient) {
    const project = await createProject(owner);
    const res = await team.staff.put(`/api/projects/${project.id}/plans/${year}`, { plannedInvestment: 10_000_000, plannedStart: `${year}-01-10`, plannedCompletion: `${year + 1}-12-31` });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return { id: project.id as string, name: project.name as string };
  }

  const unread = async (client: ApiClient) => (await client.get('/api/notifications?limit=50')).body.items.filter((n: { kind: string }) => n.kind === 'reminder_letter');

  before(async () => {
    team = await createTeam();
    secondOwner = (await signedInUser(team.admin, 'owner', team.orgId)).client;
    behind = [await behindProject(team.owner), await behindProject(team.owner)];
  });

  it('suggests, per unit, the projects with reports missing and a start missed', async () => {
    const res = await team.staff.get(`/api/reminder-letters/suggestions?orgId=${team.orgId}`);
    expect(res.status).to.equal(200);
    expect(res.body.items).to.have.length(1);
    const unit = res.body.items[0];
    expect(unit.orgId).to.equal(team.orgId);
    expect(unit.projects.map((p: { projectId: string }) => p.projectId).sort()).to.deep.equal(behind.map((p) => p.id).sort());
    const kinds = unit.projects[0].items.map((i: { kind: string }) => i.kind);
    expect(kinds).to.deep.equal(['reports', 'start_missed']);
    expect(unit.projects[0].items[0].text).to.contain(`${year}年1月`).and.contain('月报未报送');
    expect(unit.projects[0].items[1].since).to.equal(`${year}-01-10`);
  });

  it('lets only staff issue a letter (403 for owner, leader, admin) and refuses items that do not apply (422)', async () => {
    const body = { orgId: team.orgId, items: [{ projectId: behind[0]!.id, kind: 'other', note: '安全生产隐患' }] };
    for (const client of [team.owner, team.leader, team.administrator]) expectProblem(await client.post('/api/reminder-letters', body), 403);
    const fresh = await createProject(team.owner);
    expectProblem(await team.staff.post('/api/reminder-letters', { orgId: team.orgId, items: [{ projectId: fresh.id, kind: 'reports' }] }), 422);
    expectProblem(await team.staff.post('/api/reminder-letters', { orgId: team.orgId, items: [{ projectId: behind[0]!.id, kind: 'other' }] }), 422);
    const other = await createProject(team.otherOwner);
    expectProblem(await team.staff.post('/api/reminder-letters', { orgId: team.orgId, items: [{ projectId: other.id, kind: 'other', note: '不属于本单位' }] }), 422);
    expectProblem(await team.staff.post('/api/reminder-letters', { ...body, deadline: '2000-01-01' }), 422);
  });

  let letter: any;

  it('issues a letter for two projects: numbered, recorded in each history, read back in the register and as PDF', async () => {
    const deadline = `${year + 1}-01-20`;
    const items = [
      { projectId: behind[0]!.id, kind: 'reports' },
      { projectId: behind[0]!.id, kind: 'start_missed' },
      { projectId: behind[1]!.id, kind: 'other', note: '施工现场扬尘治理不到位' },
    ];
    const res = await team.staff.post('/api/reminder-letters', { orgId: team.orgId, items, deadline });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    letter = res.body.letter;
    expect(letter.number).to.equal(`〔${letter.year}〕第${letter.id.split('-')[1]}号`);
    expect(letter.id.startsWith(letter.date.slice(0, 4))).to.equal(true);
    expect(letter.state).to.equal('recorded');
    expect(letter.items.map((i: { label: string }) => i.label)).to.deep.equal(['月报逾期未报', '未按计划开工', '其他事项']);

    for (const project of behind) {
      const entries = (await historyOf(team.owner, project.id)).filter((e) => e.event === 'REMINDER_LETTER');
      expect(entries, 'one entry per project and letter').to.have.length(1);
      expect(entries[0].data).to.include({ number: letter.number, letterId: letter.id, deadline });
    }
    const [first] = (await historyOf(team.staff, behind[0]!.id)).filter((e) => e.event === 'REMINDER_LETTER');
    expect(first.data.items.map((i: { kind: string }) => i.kind)).to.deep.equal(['reports', 'start_missed']);

    const register = await team.leader.get(`/api/reminder-letters?orgId=${team.orgId}&year=${letter.year}`);
    expect(register.status).to.equal(200);
    expect(register.body.items.map((l: { id: string }) => l.id)).to.include(letter.id);
    expect((await team.leader.get(`/api/reminder-letters?orgId=${team.orgId}&year=2001`)).body.total).to.equal(0);
    expect((await team.owner.get(`/api/reminder-letters/${letter.id}`)).body.letter.number).to.equal(letter.number);

    const pdf = await team.owner.get(`/api/reminder-letters/${letter.id}/letter.pdf`);
    expect(pdf.status).to.equal(200);
    expect(pdf.headers.get('content-type')).to.contain('application/pdf');
    const text = (await readPdf(pdf.body as Buffer)).text.replace(/\s+/g, '');
    for (const words of ['关于加快推进项目建设的提醒函', letter.number, `${letter.orgName}：`, behind[0]!.name, behind[1]!.name, '月报未报送', '施工现场扬尘治理不到位', `${year}年1月10日`, '发展和改革局']) {
      expect(text, words).to.contain(words.replace(/\s+/g, ''));
    }
    expect(text).to.contain(`${year + 1}年1月20日`);
  });

  it("tells every user of the unit once, and no one of another unit, who can neither list nor read it (404)", async () => {
    for (const owner of [team.owner, secondOwner]) {
      const found = (await unread(owner)).filter((n: { title: string }) => n.title.includes(letter.number));
      expect(found, 'one notification per letter').to.have.length(1);
      expect(found[0].text).to.contain('等 2 个项目');
    }
    expect((await unread(team.otherOwner)).filter((n: { title: string }) => n.title.includes(letter.number))).to.have.length(0);
    expect((await team.otherOwner.get('/api/reminder-letters')).body.items.map((l: { id: string }) => l.id)).not.to.include(letter.id);
    expectProblem(await team.otherOwner.get(`/api/reminder-letters/${letter.id}`), 404);
    expectProblem(await team.otherOwner.get(`/api/reminder-letters/${letter.id}/letter.pdf`), 404);
  });

  it('gives two letters issued at once different, increasing numbers', async () => {
    const body = (note: string) => ({ orgId: team.orgId, items: [{ projectId: behind[1]!.id, kind: 'other', note }] });
    const [a, b] = await Promise.all([team.staff.post('/api/reminder-letters', body('并发一')), team.staff.post('/api/reminder-letters', body('并发二'))]);
    expect([a.status, b.status]).to.deep.equal([201, 201]);
    const seqs = [a.body.letter, b.body.letter].map((l: { id: string }) => Number(l.id.split('-')[1]));
    expect(seqs[0]).to.not.equal(seqs[1]);
    expect(Math.min(...seqs)).to.be.above(Number(letter.id.split('-')[1]));
    const numbers = (await team.staff.get(`/api/reminder-letters?year=${letter.year}&limit=200`)).body.items.map((l: { number: string }) => l.number);
    expect(new Set(numbers).size).to.equal(numbers.length);
  });

  it('finishes a letter left issued by a crash, which the check reports until then', async () => {
    const now = new Date();
    const thisYear = Number(chinaDay(now).slice(0, 4));
    const cut: ReminderLetterRecord = {
      _id: `${thisYear}-99999`,
      year: thisYear,
      seq: 99999,
      number: `〔${thisYear}〕第99999号`,
      orgId: team.orgId,
      orgName: letter.orgName,
      date: chinaDay(now),
      items: [{ projectId: behind[1]!.id, projectName: behind[1]!.name, kind: 'other', text: '中断测试。请抓紧整改。', note: '中断测试' }],
      state: 'issued',
      issuedBy: { id: 'staff-id', username: 'staff', displayName: '测试工作人员', role: 'staff' },
      issuedAt: now,
    };
    await letterRecords().insertOne(cut);
    const before = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
    expect(before.violations.filter((v) => v.rule === 'reminder-letter').map((v) => v.projectId)).to.deep.equal([behind[1]!.id]);

    expect(await finishIssuedLetters()).to.equal(1);
    expect(await finishIssuedLetters()).to.equal(0);
    const entries = (await historyOf(team.staff, behind[1]!.id)).filter((e) => e.data?.letterId === cut._id);
    expect(entries).to.have.length(1);
    expect((await team.staff.get(`/api/reminder-letters/${cut._id}`)).body.letter.state).to.equal('recorded');
    expect((await unread(secondOwner)).filter((n: { title: string }) => n.title.includes(cut.number))).to.have.length(1);
    const after = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
    expect(after.violations.filter((v) => v.rule === 'reminder-letter' || v.projectId === behind[1]!.id)).to.deep.equal([]);
  });

  it('reminds a unit of its problems past their due date (问题清单), in the words of each problem', async () => {
    const project = await createProject(team.owner);
    // Raised on 1 March 2020 with a month to solve it: the API only takes due dates from today on.
    const owner = { ...(team.owner.user as CurrentUser), displayName: '项目单位' };
    await raiseProblem(owner, project.id, { category: 'land', description: '用地指标未落实', level: 'county', dueDate: '2020-03-31' }, new Date('2020-03-01T10:00:00+08:00'));
    const suggested = (await team.staff.get(`/api/reminder-letters/suggestions?orgId=${team.orgId}`)).body.items[0].projects.find((p: { projectId: string }) => p.projectId === project.id);
    expect(suggested.items.map((i: { kind: string }) => i.kind)).to.deep.equal(['problems_overdue']);
    expect(suggested.items[0]).to.include({ since: '2020-03-31' });
    expect(suggested.items[0].text).to.contain('用地问题"用地指标未落实"应于2020年3月31日前解决');
    const issued = await team.staff.post('/api/reminder-letters', { orgId: team.orgId, items: [{ projectId: project.id, kind: 'problems_overdue' }] });
    expect(issued.status, JSON.stringify(issued.body)).to.equal(201);
    expect(issued.body.letter.items[0].label).to.equal('问题逾期未解决');
  });
});
