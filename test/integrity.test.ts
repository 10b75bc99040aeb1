import { readFile, rename, writeFile } from 'node:fs/promises';
import { expect } from 'chai';
import { Types } from 'mongoose';
import type { HistoryEntry, ProjectDoc } from '../src/projects/project.model';
import { projectStore } from '../src/projects/project-store';
import { projectHistory } from '../src/projects/project.repository';
import { DocumentRecords } from '../src/projects/document.model';
import { storedFilePath } from '../src/dossier/storage';
import { checkInvariants, type Violation } from '../src/integrity/invariants';
import { projectViolations } from '../src/integrity/project-rules';
import { bringTo, createProject, sharedTeam, specialBondBody, type Team } from './support/fixtures';
import { service } from './support/hooks';

const rulesBroken = (violations: Violation[]) => violations.map((v) => v.rule);

type StoredProject = ProjectDoc & { history: HistoryEntry[] };

/** The stored project with its whole history, as the invariant rules read it. */
async function storedProject(id: string): Promise<StoredProject> {
  const project = (await projectStore.find(new Types.ObjectId(id)))!;
  return { ...project, history: await projectHistory(project) };
}

async function violationsOf(projectId: string): Promise<Violation[]> {
  const report = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
  return report.violations.filter((v) => v.projectId === projectId);
}

describe('invariant check', function () {
  this.timeout(60_000);
  let team: Team;
  let bond: StoredProject;

  before(async () => {
    team = await sharedTeam();
    // Quota approved, half issued, one disbursement: every rule has something to check.
    let project = await bringTo(team, await createProject(team.owner, specialBondBody()), 'implementation');
    const res = await team.staff.post(`/api/projects/${project.id}/events`, {
      type: 'RECORD_DISBURSEMENT',
      expectedVersion: project.version,
      data: { amount: 5_000_000, date: '2026-08-01' },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    project = res.body.project;
    bond = await storedProject(project.id);
  });

  it('finds nothing wrong with a project carried through the workflow by the API, its files included', async () => {
    expect(bond.documents.length).to.be.above(5);
    expect(projectViolations(bond)).to.deep.equal([]);
    expect(await violationsOf(bond._id.toString())).to.deep.equal([]);
  });

  describe('on a copy of that project, altered in memory', () => {
    const altered = (change: (p: StoredProject) => void) => {
      // Ids are compared by their text, which an ObjectId loses in structuredClone: the copy keeps the same ids.
      const copy = Object.assign(structuredClone(bond), { _id: bond._id, documents: bond.documents });
      change(copy);
      return rulesBroken(projectViolations(copy));
    };

    it('a version that does not count the history', () => {
      expect(altered((p) => (p.version += 1))).to.deep.equal(['version']);
    });

    it('a history entry lost (version no longer matches, and the walk no longer reaches the stage)', () => {
      expect(altered((p) => p.history.splice(p.history.findIndex((e) => e.event === 'START_PRELIMINARY'), 1))).to.include.members(['version', 'history']);
    });

    it('an event the stage does not allow, and one that lands on the wrong stage', () => {
      const entry = (p: StoredProject, event: string) => p.history.find((e) => e.event === event)!;
      expect(altered((p) => (entry(p, 'START_PRELIMINARY').event = 'RECORD_APPROVAL'))).to.deep.equal(['history']);
      expect(altered((p) => (entry(p, 'START_PRELIMINARY').to = 'submitted'))).to.include('history');
    });

    it('a record-only entry that claims a change of stage', () => {
      expect(altered((p) => Object.assign(p.history.find((e) => e.event === 'DOCUMENT_UPLOAD')!, { from: 'draft', to: 'reserve' }))).to.deep.equal(['history']);
    });

    it('a stage the history does not lead to', () => {
      expect(altered((p) => (p.stage = 'completed'))).to.deep.equal(['history']);
    });

    it('bonds issued beyond the quota, and disbursements beyond the funds secured', () => {
      // The altered issuance is also no longer the one its history entry recorded.
      expect(altered((p) => (p.issuances![0]!.amount = p.approval!.amount + 1))).to.deep.equal(['money-record', 'issuance-quota']);
      expect(altered((p) => (p.disbursements![0]!.amount = p.issuances![0]!.amount + 1))).to.deep.equal(['disbursement-secured']);
    });
  });

  describe('on the stored project, altered and then put back', () => {
    it('a document without its locator', async () => {
      // The file's record is what finds a document by its id (it replaced the separate locator).
      const record = (await DocumentRecords.collection.findOne({ _id: bond.documents[0]! }))!;
      await DocumentRecords.collection.deleteOne({ _id: record._id });
      try {
        expect(rulesBroken(await violationsOf(bond._id.toString()))).to.deep.equal(['locator']);
      } finally {
        await DocumentRecords.collection.insertOne(record);
      }
      expect(await violationsOf(bond._id.toString())).to.deep.equal([]);
    });

    it('a stored file that is gone, then one whose bytes changed', async () => {
      const { storageKey } = (await DocumentRecords.collection.findOne({ _id: bond.documents[0]! }))!;
      const file = storedFilePath(service().settings.uploadsDir, storageKey);
      const original = await readFile(file);
      await rename(file, `${file}.away`);
      try {
        expect(rulesBroken(await violationsOf(bond._id.toString()))).to.deep.equal(['file-missing']);
      } finally {
        await rename(`${file}.away`, file);
      }
      await writeFile(file, Buffer.concat([original.subarray(0, -1), Buffer.from('X')]));
      try {
        const found = await checkInvariants({ uploadsDir: service().settings.uploadsDir });
        const aboutFile = found.violations.filter((v) => v.rule === 'file-damaged');
        expect(aboutFile.map((v) => v.projectId ?? 'unreferenced')).to.include.members([bond._id.toString(), 'unreferenced']);
      } finally {
        await writeFile(file, original);
      }
      expect(await violationsOf(bond._id.toString())).to.deep.equal([]);
    });
  });
});
