import mongoose, { Schema, type mongo, type Types } from 'mongoose';
import type { Channel } from '../../workflows/vocabulary';
import type { RoundStatus } from '../../workflows/rounds';

/**
 * An application round (申报批次, workflows/rounds.ts) as stored. Its draft is
 * not here: each project in it names the round (its `round`), so a project
 * joins or leaves a draft in the one commit that records it in its history.
 */
export interface RoundRecord {
  _id: Types.ObjectId;
  channel: Channel;
  year: number;
  name: string;
  /** The higher level's deadline, YYYY-MM-DD. */
  deadline: string;
  notes?: string;
  /** 控制额度 the higher level gave, whole yuan. */
  ceiling?: number;
  status: RoundStatus;
  version: number;
  createdBy: { id: string; displayName: string };
  createdAt: Date;
  updatedAt: Date;
  closedAt?: Date;
}

const Rounds = mongoose.model<RoundRecord>('Round', new Schema<RoundRecord>({}, { versionKey: false, strict: false, collection: 'rounds' }));

export const roundRecords = () => Rounds.collection as unknown as mongo.Collection<RoundRecord>;
