import { expect } from 'chai';
import { addWorkingDays } from '../workflows/working-days';
import { filesAwaitingReview } from '../workflows/deadlines';
import { rules } from '../workflows/rules-file';
import { advanceTrail, emptyTrail, type TrailEntry } from '../workflows/trail';
import { createProject, createTeam, expectProblem, getProject, review, upload, type Team } from './support/fixtures';

const entry = (event: string, at: string, docType: string, version: number): TrailEntry => ({ event, at: new Date(at).toISOString(), data: { docType, version } });

/** 限时办结 for files: each uploaded file is reviewed within `fileReviewTimeLimit` working days of its upload. */
describe('time limits on reviewing files', () => {
  describe('in the domain core (workflows/deadlines.ts)', () => {
    // Uploaded on Tuesday 30 September 2025, the eve of National Day (1–8 October off; Saturday 11 October worked).
    const trail = [entry('DOCUMENT_UPLOAD', '2025-09-30T10:00:00+08:00', 'proposal', 1)].reduce(advanceTrail, emptyTrail());
    const project = (at: typeof trail) => ({ stage: 'draft' as const, dossier: { proposal: 'pending' as const }, trail: at });

    it('counts three working days across the holiday onto the make-up Saturday, and is overdue only after it', () => {
      const [onTheDay] = filesAwaitingReview(project(trail), new Date('2025-10-11T18:00:00+08:00'), rules);
      expect(onTheDay).to.include({ docType: 'proposal', version: 1, dueDate: '2025-10-11', limitWorkingDays: 3, overdue: false });
      const [after] = filesAwaitingReview(project(trail), new Date('2025-10-13T09:00:00+08:00'), rules);
      expect(after).to.include({ dueDate: '2025-10-11', overdue: true });
    });

    it('ends the wait with a review of the newest version, not of an older one', () => {
      const newer = advanceTrail(trail, entry('DOCUMENT_UPLOAD', '2025-10-09T10:00:00+08:00', 'proposal', 2));
      const olderReviewed = advanceTrail(newer, entry('DOCUMENT_REVIEW', '2025-10-09T11:00:00+08:00', 'proposal', 1));
      expect(filesAwaitingReview(project(olderReviewed), new Date('2025-10-09T12:00:00+08:00'), rules)[0]).to.include({ version: 2, dueDate: '2025-10-13' });
      const newestReviewed = advanceTrail(olderReviewed, entry('DOCUMENT_REVIEW', '2025-10-10T11:00:00+08:00', 'proposal', 2));
      expect(filesAwaitingReview({ ...project(newestReviewed), dossier: { proposal: 'accepted' } }, new Date('2025-10-10T12:00:00+08:00'), rules)).to.deep.equal([]);
    });

    it('asks nothing of a project in a final stage', () => {
      expect(filesAwaitingReview({ ...project(trail), stage: 'withdrawn' }, new Date('2025-10-13T09:00:00+08:00'), rules)).to.deep.equal([]);
    });
  });

  describe('through the API', () => {
    let team: Team;
    let projectId: string;
    const uploaded: Record<string, { id: string; uploadedAt: string }> = {};

    before(async () => {
      team = await createTeam();
      projectId = (await createProject(team.owner)).id;
      for (const docType of ['proposal', 'land_use']) uploaded[docType] = await upload(team.owner, projectId, docType);
    });

    const queueLine = async () => {
      const res = await team.staff.get('/api/queue');
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return res.body.files.find((line: any) => line.id === projectId);
    };

    it('lists each waiting file in the staff queue with its due date in working days from its upload', async () => {
      const line = await queueLine();
      expect(line.pendingDocuments.map((f: any) => f.docType).sort()).to.deep.equal(['land_use', 'proposal']);
      for (const file of line.pendingDocuments) {
        expect(file).to.include({ limitWorkingDays: rules.fileReviewTimeLimit, overdue: false, dueDate: addWorkingDays(new Date(uploaded[file.docType]!.uploadedAt), rules.fileReviewTimeLimit) });
      }
      expect(line.dueDate).to.equal(line.pendingDocuments[0].dueDate);
    });

    it('counts waiting files in the list row and shows them on the project page, until staff review them', async () => {
      const row = async () => (await team.staff.get(`/api/projects?q=${encodeURIComponent((await getProject(team.staff, projectId)).name)}`)).body.items.find((p: any) => p.id === projectId);
      expect((await row()).fileReviews).to.deep.equal({ waiting: 2, overdue: 0 });
      await review(team.staff, uploaded.proposal!.id, 'accept');
      expect((await row()).fileReviews).to.deep.equal({ waiting: 1, overdue: 0 });
      const detail = await getProject(team.owner, projectId);
      expect(detail.fileReviews.map((f: any) => f.docType)).to.deep.equal(['land_use']);
      expect((await queueLine()).pendingDocuments.map((f: any) => f.docType)).to.deep.equal(['land_use']);
    });

    it('keeps the queue for staff only', async () => {
      expectProblem(await team.owner.get('/api/queue'), 403);
    });
  });
});
