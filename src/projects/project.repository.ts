import { isValidObjectId, type UpdateQuery } from 'mongoose';
import { Project, type HistoryEntry, type ProjectDoc } from './project.model';
import { notFound, staleVersion } from '../shared/problem';
import { KeyedLock } from '../shared/keyed-lock';

export async function findProject(id: string): Promise<ProjectDoc> {
  const project = isValidObjectId(id) ? await Project.findById(id).lean<ProjectDoc>() : null;
  if (!project) throw notFound();
  return project;
}

export interface ProjectChange {
  entry: HistoryEntry;
  set?: Record<string, unknown>;
  push?: Record<string, unknown>;
}

// FerretDB 1.x evaluates a conditional update's filter and writes the document in
// separate steps, so concurrent updates of one project could all match the same
// version; it also looks a document up by key only when the filter is `{_id}`
// alone and scans every project otherwise. Each project's writes are therefore
// serialised in this process (the embedded database serves only this process),
// and on FerretDB the version is compared here and the write addressed by `_id`.
// On MongoDB the filter keeps the version, which holds across processes too.
const projectLock = new KeyedLock();
let versionCheckedInProcess = false;

/** Called once the database is known: whether it evaluates an update's filter atomically. */
export function useInProcessVersionCheck(enabled: boolean): void {
  versionCheckedInProcess = enabled;
}

async function versionFilter(id: string, expectedVersion: number) {
  if (!versionCheckedInProcess) return { _id: id, version: expectedVersion };
  const current = await Project.findById(id, { version: 1 }).lean<Pick<ProjectDoc, 'version'>>();
  return current?.version === expectedVersion ? { _id: id } : undefined;
}

async function conditionalUpdate(id: string, expectedVersion: number, change: ProjectChange): Promise<ProjectDoc> {
  const update: UpdateQuery<ProjectDoc> = {
    $set: { ...change.set, updatedAt: change.entry.at },
    $inc: { version: 1 },
    $push: { history: change.entry, ...change.push },
  };
  const filter = await versionFilter(id, expectedVersion);
  const updated = filter
    ? await Project.findOneAndUpdate(filter, update, { returnDocument: 'after', timestamps: false }).lean<ProjectDoc>()
    : null;
  if (!updated) {
    await findProject(id);
    throw staleVersion();
  }
  return updated;
}

/**
 * Every change to a project is one atomic update of its document, conditional on
 * the version the caller read: the change, `version + 1` and the history entry
 * land together or not at all. A stale version is a 409.
 */
export function commitProjectChange(id: string, expectedVersion: number, change: ProjectChange): Promise<ProjectDoc> {
  return projectLock.run(id, () => conditionalUpdate(id, expectedVersion, change));
}

/**
 * For changes that do not depend on what the caller saw (an upload, a review):
 * made against the project as it is now, still as one conditional update.
 */
export function commitToCurrentProject(id: string, makeChange: (project: ProjectDoc) => ProjectChange): Promise<ProjectDoc> {
  return projectLock.run(id, async () => {
    const project = await findProject(id);
    return conditionalUpdate(id, project.version, makeChange(project));
  });
}
