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
// separate steps, so concurrent updates of one project can all match the same
// version. Serialising them per project in this process restores the guarantee
// MongoDB gives on its own (the embedded database serves only this process).
const projectLock = new KeyedLock();

async function conditionalUpdate(id: string, expectedVersion: number, change: ProjectChange): Promise<ProjectDoc> {
  const update: UpdateQuery<ProjectDoc> = {
    $set: { ...change.set, updatedAt: change.entry.at },
    $inc: { version: 1 },
    $push: { history: change.entry, ...change.push },
  };
  const updated = await Project.findOneAndUpdate({ _id: id, version: expectedVersion }, update, {
    returnDocument: 'after',
    timestamps: false,
  }).lean<ProjectDoc>();
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
