import mongoose, { Schema, type mongo } from 'mongoose';
import type { ReminderItemKind } from '../../workflows/reminder-letters';
import type { Role } from '../../workflows/roles';

export const letterStates = ['issued', 'recorded'] as const;
export type LetterState = (typeof letterStates)[number];

/** One item of a letter: a project, the kind of reason, and the words the letter prints. */
export interface LetterItem {
  projectId: string;
  projectName: string;
  kind: ReminderItemKind;
  /** What is wrong and what is asked, as printed. */
  text: string;
  /** Since when (YYYY-MM-DD), when the kind knows. */
  since?: string;
  note?: string;
}

/** Who issued a letter: enough to act as them when a letter cut off is finished at start-up. */
export interface LetterActor {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  orgId?: string;
}

/**
 * A reminder letter (提醒函). Its `_id` is `<year>-<number>`: inserting it
 * claims the number (a duplicate fails and the next number is tried) and is
 * the commit point. The letter is stored `issued`; each project it names then
 * gets one history entry with its items (the project's trail lists the letters recorded, so
 * doing it again skips those), the unit's users are notified, and the letter is
 * marked `recorded`. One left `issued` by a crash is finished at the next start.
 */
export interface ReminderLetterRecord {
  _id: string;
  year: number;
  seq: number;
  /** 文号, e.g. 〔2026〕第7号. */
  number: string;
  orgId: string;
  orgName: string;
  /** YYYY-MM-DD, China time. */
  date: string;
  deadline?: string;
  items: LetterItem[];
  state: LetterState;
  issuedBy: LetterActor;
  issuedAt: Date;
  recordedAt?: Date;
}

export const letterId = (year: number, seq: number) => `${year}-${seq}`;

const ReminderLetters = mongoose.model<ReminderLetterRecord>(
  'ReminderLetter',
  new Schema<ReminderLetterRecord>({ _id: String }, { versionKey: false, strict: false, collection: 'reminder_letters' }),
);

export const letterRecords = () => ReminderLetters.collection as unknown as mongo.Collection<ReminderLetterRecord>;
