/**
 * Removes the demo data and nothing else: the organisations, accounts and projects the loader marked, every record
 * that belongs to a demo project, and the stored files no remaining project uses. The audit log keeps its entries.
 */
import { rm } from 'node:fs/promises';
import mongoose, { type Types } from 'mongoose';
import { Organisation, User } from '../accounts/accounts.model';
import { endSessionsOf } from '../accounts/session-records';
import { AUDIT_COLLECTION_PREFIX } from '../audit/audit.model';
import { recordAudit, type AuditSource } from '../audit/audit.service';
import { storedFilePath } from '../dossier/storage';
import { ProblemAttachments } from '../problems/problem-attachments';
import { DocumentRecords } from '../projects/document.model';
import { SitePhotos } from '../schedule/schedule.model';
import { Project } from '../projects/project.model';
import { demoRecord, setDemoState } from './demo-marker';

export interface DemoRemoval {
  organisations: number;
  users: number;
  projects: number;
  files: number;
  /** Demo organisations kept because real users or projects were added to them since. */
  keptOrganisations: string[];
}

/** Every collection whose records point at stored files: dossier files, site photos, problem attachments. */
const fileRecordCollections = () => [DocumentRecords.collection, SitePhotos.collection, ProblemAttachments.collection];

/** The stored files that the records of these projects (all when none are named) point at. */
async function storageKeysOf(projectIds?: Types.ObjectId[]): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const collection of fileRecordCollections()) {
    const records = collection.find<{ storageKey: string }>(projectIds ? { projectId: { $in: projectIds } } : {}, { projection: { storageKey: 1 } });
    for await (const { storageKey } of records) keys.add(storageKey);
  }
  return keys;
}

/**
 * Records belong to a project when they name it in `projectId` (dossier document records, history entries, printed-copy codes, and
 * whatever later modules keep beside a project): swept from every collection but the audit log.
 */
async function removeProjectRecords(projectIds: Types.ObjectId[]): Promise<void> {
  const collections = await mongoose.connection.db!.listCollections({}, { nameOnly: true }).toArray();
  for (const { name } of collections) {
    if (name.startsWith(AUDIT_COLLECTION_PREFIX)) continue;
    await mongoose.connection.collection(name).deleteMany({ projectId: { $in: projectIds } });
  }
}

/** Files of demo projects that no other project stores too (files are kept by content, so they can be shared). */
async function removeUnusedFiles(uploadsDir: string, demoKeys: Set<string>): Promise<number> {
  const inUse = await storageKeysOf();
  let removed = 0;
  for (const key of demoKeys) {
    if (inUse.has(key)) continue;
    await rm(storedFilePath(uploadsDir, key), { force: true });
    removed++;
  }
  return removed;
}

/** Removes the demo data; undefined when there is none. Run with the service stopped (the command says so). */
export async function removeDemoData(uploadsDir: string, source: AuditSource): Promise<DemoRemoval | undefined> {
  const record = await demoRecord();
  if (!record || record.state === 'removed') return undefined;

  const demoKeys = await storageKeysOf(record.projects);
  await removeProjectRecords(record.projects);
  const removedProjects = (await Project.deleteMany({ _id: { $in: record.projects } })).deletedCount;
  const files = await removeUnusedFiles(uploadsDir, demoKeys);

  for (const id of record.users) await endSessionsOf(id.toString());
  const removedUsers = (await User.deleteMany({ _id: { $in: record.users } })).deletedCount;

  const keptOrganisations: string[] = [];
  const unused: Types.ObjectId[] = [];
  for (const org of await Organisation.find({ _id: { $in: record.organisations } }).lean()) {
    if ((await User.exists({ orgId: org._id })) || (await Project.exists({ orgId: org._id }))) keptOrganisations.push(org.name);
    else unused.push(org._id);
  }
  const removedOrganisations = (await Organisation.deleteMany({ _id: { $in: unused } })).deletedCount;

  await setDemoState('removed');
  const removal = { organisations: removedOrganisations, users: removedUsers, projects: removedProjects, files, keptOrganisations };
  await recordAudit({
    ...source,
    action: 'demo.remove',
    target: { type: 'demo', name: '演示数据' },
    summary: `删除演示单位 ${removedOrganisations} 个、演示账号 ${removedUsers} 个、演示项目 ${removedProjects} 个、文件 ${files} 个` + (keptOrganisations.length ? `；保留仍在使用的单位：${keptOrganisations.join('、')}` : ''),
  });
  return removal;
}
