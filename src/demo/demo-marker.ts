/**
 * What the demo data created, so that it can be told apart and removed precisely: one record listing the demo
 * organisations, users and projects by id, kept once the data is removed so that it is never loaded again.
 */
import mongoose, { Schema, type Types } from 'mongoose';
import { User } from '../accounts/accounts.model';

export type DemoKind = 'organisations' | 'users' | 'projects';

export interface DemoRecord {
  _id: 'demo';
  /** `loading` until every story has played; `removed` once `npm run demo:remove` has run. */
  state: 'loading' | 'loaded' | 'removed';
  organisations: Types.ObjectId[];
  users: Types.ObjectId[];
  projects: Types.ObjectId[];
  removedAt?: Date;
}

const ids = { type: [Schema.Types.ObjectId], default: [] };

export const DemoMarker = mongoose.model<DemoRecord>(
  'DemoMarker',
  new Schema<DemoRecord>(
    {
      _id: { type: String, required: true },
      state: { type: String, required: true, enum: ['loading', 'loaded', 'removed'] },
      organisations: ids,
      users: ids,
      projects: ids,
      removedAt: Date,
    },
    { versionKey: false },
  ),
  'demo_data',
);

const ID = 'demo' as const;

export const demoRecord = () => DemoMarker.findById(ID).lean<DemoRecord>();

/** Adds what was just created; called one step at a time, never concurrently (the embedded database's updates are not atomic). */
export async function markDemo(kind: DemoKind, created: string[]): Promise<void> {
  await DemoMarker.updateOne({ _id: ID }, { $push: { [kind]: { $each: created } }, $setOnInsert: { state: 'loading' } }, { upsert: true });
}

export const setDemoState = (state: DemoRecord['state']) =>
  DemoMarker.updateOne({ _id: ID }, { $set: { state, ...(state === 'removed' ? { removedAt: new Date() } : {}) } });

/** Whether demo data is (still) in the database: what the banner and the production start check ask. */
export async function demoDataPresent(): Promise<boolean> {
  const record = await demoRecord();
  return Boolean(record && record.state !== 'removed');
}

/** The demo accounts that still exist, by username. */
export async function remainingDemoAccounts(): Promise<string[]> {
  const record = await demoRecord();
  if (!record || record.state === 'removed') return [];
  const users = await User.find({ _id: { $in: record.users } }, { username: 1 }).lean();
  return users.map((u) => u.username);
}
