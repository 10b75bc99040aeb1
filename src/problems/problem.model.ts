import mongoose, { Schema, type Types, type mongo } from 'mongoose';
import type { ProblemCategory, ProblemEvent, ProblemStatus } from '../../workflows/problems';
import { versionFilter } from '../db/capabilities';
import { pack, unpack } from '../shared/packed-json';

/**
 * A problem that holds a project up (问题清单, workflows/problems.ts): what
 * it is, the project and unit it belongs to, every event since it was raised,
 * and the status those events give. One document per problem; an event is
 * appended in the same single-document write that changes the status, at the
 * next version, so the write is the event's commit point.
 */
export interface ProblemDoc extends ProblemStatus {
  _id: Types.ObjectId;
  projectId: Types.ObjectId;
  /** The project's unit, which never changes: owners see their own organisation's problems only. */
  orgId: Types.ObjectId;
  category: ProblemCategory;
  description: string;
  responsibleUnit?: string;
  /** 办结时限, YYYY-MM-DD. */
  dueDate?: string;
  attachmentIds: Types.ObjectId[];
  /** Oldest first; the first is RAISE. */
  events: ProblemEvent[];
  version: number;
  raisedAt: Date;
  updatedAt: Date;
}

/**
 * As stored: the fields a person or a tool may look at plain, the rest packed
 * (src/shared/packed-json.ts): the service reads every problem at start, and
 * FerretDB reads a packed one several times faster.
 */
export interface StoredProblem {
  _id: Types.ObjectId;
  projectId: Types.ObjectId;
  orgId: Types.ObjectId;
  state: string;
  version: number;
  updatedAt: Date;
  packed: string;
}

export const Problems = mongoose.model(
  'Problem',
  new Schema(
    {
      projectId: { type: Schema.Types.ObjectId, required: true },
      orgId: { type: Schema.Types.ObjectId, required: true },
      state: { type: String, required: true },
      version: { type: Number, required: true },
      updatedAt: { type: Date, required: true },
      packed: { type: String, required: true },
    },
    { versionKey: false, collection: 'problems' },
  ),
);

export const encodeProblem = ({ _id, ...problem }: ProblemDoc): StoredProblem => ({
  _id,
  projectId: problem.projectId,
  orgId: problem.orgId,
  state: problem.state,
  version: problem.version,
  updatedAt: problem.updatedAt,
  packed: pack(problem),
});

export const decodeProblem = (stored: StoredProblem): ProblemDoc => ({ _id: stored._id, ...unpack<Omit<ProblemDoc, '_id'>>(stored.packed) });

const collection = () => Problems.collection as unknown as mongo.Collection<StoredProblem>;

export const problemStore = {
  async find(id: Types.ObjectId): Promise<ProblemDoc | undefined> {
    const stored = await collection().findOne({ _id: id });
    return stored ? decodeProblem(stored) : undefined;
  },

  async insert(problem: ProblemDoc): Promise<void> {
    await collection().insertOne(encodeProblem(problem));
  },

  /** Writes the problem in place of the version it replaces; false when that version is no longer there. */
  async replace(problem: ProblemDoc, replacing: number): Promise<boolean> {
    const { matchedCount } = await collection().replaceOne(versionFilter(problem._id, replacing), encodeProblem(problem));
    return matchedCount === 1;
  },

  async *scan(): AsyncGenerator<ProblemDoc> {
    for await (const stored of collection().find({}, { batchSize: 2000 })) yield decodeProblem(stored);
  },
};
