import { isValidObjectId, type UpdateQuery } from 'mongoose';
import { Project, type HistoryEntry, type ProjectDoc } from './project.model';
import { notFound, staleVersion } from '../shared/problem';

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

/**
 * Every change to a project is one atomic update of its document, conditional on
 * the version the caller read: the change, `version + 1` and the history entry
 * land together or not at all. A stale version is a 409.
 */
export async function commitProjectChange(id: string, expectedVersion: number, change: ProjectChange): Promise<ProjectDoc> {
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
