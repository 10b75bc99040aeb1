import { messages } from '../../workflows/messages';
import { canSee } from '../../workflows/access';
import {
  findReminders,
  needsNote,
  reminderKindLabels,
  reminderKinds,
  reminderLetterNumber,
  reminderSentence,
  type ReminderFacts,
  type ReminderItemKind,
} from '../../workflows/reminder-letters';
import { rules } from '../../workflows/rules-file';
import { currentScheduleMonth } from '../../workflows/schedule';
import { finalStages, stageLabels } from '../../workflows/vocabulary';
import { chinaDay } from '../../workflows/working-days';
import { organisationName } from '../accounts/accounts.service';
import { notify } from '../notifications/notify';
import { usersOfUnit } from '../notifications/recipients';
import { catalogue, type ProjectRow } from '../projects/catalogue';
import { historyEntry } from '../projects/history';
import { commitProjectChange } from '../projects/project.repository';
import type { CurrentUser } from '../shared/current-user';
import { problemDirectory } from '../problems/problem-directory';
import { logger } from '../shared/logger';
import { sortByName } from '../shared/name-order';
import { invalid, notFound, type FieldError } from '../shared/problem';
import { letterId, letterRecords, type LetterActor, type LetterItem, type ReminderLetterRecord } from './reminder-letter.model';
import { groupBy } from '../shared/group-by';

/**
 * Reminder letters (提醒函, docs/domain.md "Reminder letters"): staff remind a
 * unit of what holds up its projects, in a numbered letter recorded in each
 * project's history and in the register, and told to the unit's users. See
 * reminder-letter.model.ts for how a letter and several projects stay in step
 * without transactions. The letters are few (tens a year), so the register is
 * held in memory, read once at start like the catalogue.
 */
const letters = new Map<string, ReminderLetterRecord>();

export async function loadReminderLetters(): Promise<number> {
  letters.clear();
  for (const letter of await letterRecords().find({}).toArray()) letters.set(letter._id, letter);
  return letters.size;
}

const factsOf = (row: ProjectRow, now: Date): ReminderFacts => {
  const today = chinaDay(now);
  return { schedule: row.schedule, month: currentScheduleMonth(today, rules), today, rules, problems: problemDirectory.ofProjects([row.id]) };
};

const isOpen = (row: ProjectRow) => !finalStages.includes(row.stage);

/** Per unit, the projects with something to remind it of now (late or missing reports, a start missed), for staff to pick from. */
export function letterSuggestions(orgId: string | undefined, now = new Date()) {
  const found = catalogue
    .rows()
    .filter((row) => isOpen(row) && (!orgId || row.orgId === orgId))
    .map((row) => ({ row, reminders: findReminders(factsOf(row, now)) }))
    .filter((p) => p.reminders.length > 0);
  const units = groupBy(found, (p) => p.row.orgId);
  const items = [...units].map(([unit, projects]) => ({
    orgId: unit,
    orgName: organisationName(unit) ?? '',
    projects: sortByName(projects, (p) => p.row.name).map(({ row, reminders }) => ({
      projectId: row.id,
      name: row.name,
      lettersBefore: row.trail.reminderLetters?.length ?? 0,
      items: reminders.map(({ kind, finding }) => ({ kind, label: reminderKindLabels[kind], text: finding.text, since: finding.since })),
    })),
  }));
  return { month: currentScheduleMonth(chinaDay(now), rules), items: sortByName(items, (u) => u.orgName) };
}

export interface LetterInput {
  orgId: string;
  items: { projectId: string; kind: ReminderItemKind; note?: string }[];
  deadline?: string;
}

/** The letter's items as printed, or every reason the input cannot make a letter. */
function letterItems(input: LetterInput, now: Date): LetterItem[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const items = input.items.flatMap(({ projectId, kind, note }, i): LetterItem[] => {
    const at = (field: string, message: string): LetterItem[] => {
      errors.push({ path: `items.${i}.${field}`, message });
      return [];
    };
    const row = catalogue.get(projectId);
    if (!row || row.orgId !== input.orgId) return at('projectId', '该项目不属于所选单位');
    if (!isOpen(row)) return at('projectId', `项目“${row.name}”已${stageLabels[row.stage]}，不能再发提醒函`);
    if (seen.has(`${projectId}:${kind}`)) return at('kind', '同一项目的同一事项只能列一次');
    seen.add(`${projectId}:${kind}`);
    const trimmed = note?.trim() || undefined;
    if (needsNote(kind) && !trimmed) return at('note', `“${reminderKindLabels[kind]}”须写明具体情况`);
    const finding = reminderKinds[kind].find?.(factsOf(row, now));
    if (reminderKinds[kind].find && !finding) return at('kind', `项目“${row.name}”目前没有“${reminderKindLabels[kind]}”的情况`);
    return [{ projectId, projectName: row.name, kind, text: reminderSentence(kind, finding, trimmed), since: finding?.since, note: trimmed }];
  });
  if (input.deadline !== undefined && input.deadline < chinaDay(now)) errors.push({ path: 'deadline', message: '整改期限不能早于今天' });
  if (errors.length) throw invalid(errors, '提醒函不能发出');
  return items;
}

const actorOf = ({ id, username, displayName, role, orgId }: CurrentUser): LetterActor => ({ id, username, displayName, role, ...(orgId ? { orgId } : {}) });

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

/** Stores the letter under the next free number of its year: the insert that claims the number is the commit point. */
async function claimNumber(letter: Omit<ReminderLetterRecord, '_id' | 'seq' | 'number'>): Promise<ReminderLetterRecord> {
  let seq = Math.max(0, ...[...letters.values()].filter((l) => l.year === letter.year).map((l) => l.seq)) + 1;
  for (;;) {
    const record: ReminderLetterRecord = { _id: letterId(letter.year, seq), seq, number: reminderLetterNumber(letter.year, seq), ...letter };
    try {
      await letterRecords().insertOne(record);
      letters.set(record._id, record);
      return record;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      seq++;
    }
  }
}

/** Issues a letter (staff): numbered, stored, then recorded in each project's history and told to the unit. */
export async function issueLetter(user: CurrentUser, input: LetterInput, now = new Date()) {
  const orgName = organisationName(input.orgId);
  if (!orgName) throw invalid([{ path: 'orgId', message: '单位不存在' }], '提醒函不能发出');
  const items = letterItems(input, now);
  const date = chinaDay(now);
  const issued = await claimNumber({ year: Number(date.slice(0, 4)), orgId: input.orgId, orgName, date, deadline: input.deadline, items, state: 'issued', issuedBy: actorOf(user), issuedAt: now });
  return letterView(await recordLetter(issued));
}

/** Thrown inside a project's change when its history already names the letter: nothing to write. */
class AlreadyRecorded extends Error {}

/** The letter's items project by project, in the letter's order. */
const itemsByProject = (letter: ReminderLetterRecord): Map<string, LetterItem[]> => groupBy(letter.items, (item) => item.projectId);

/** Adds the letter's entry, with its items about the project, to one project, unless it is there already or the project has ended since. */
async function recordOnProject(letter: ReminderLetterRecord, projectId: string, items: LetterItem[]): Promise<void> {
  if (!catalogue.get(projectId)) return;
  await commitProjectChange(projectId, (current) => {
    if (current.trail?.reminderLetters?.includes(letter._id) || finalStages.includes(current.stage)) throw new AlreadyRecorded();
    const data = { letterId: letter._id, number: letter.number, deadline: letter.deadline, items: items.map(({ projectId: _p, projectName: _n, ...item }) => item) };
    return { set: {}, entry: historyEntry(letter.issuedBy, 'REMINDER_LETTER', { data }) };
  }).catch((error: unknown) => {
    if (!(error instanceof AlreadyRecorded)) throw error;
  });
}

/** Records an issued letter in every project it names, tells the unit's users (once), and marks it recorded. */
async function recordLetter(letter: ReminderLetterRecord): Promise<ReminderLetterRecord> {
  const byProject = itemsByProject(letter);
  for (const [projectId, items] of byProject) await recordOnProject(letter, projectId, items);
  const first = letter.items[0]!;
  if (catalogue.get(first.projectId)) {
    const subject = { projectId: first.projectId, projectName: first.projectName, letterId: letter._id, number: letter.number, projects: byProject.size, deadline: letter.deadline };
    const recipients = usersOfUnit(letter.orgId).map((u) => u.id);
    await notify(recipients, 'reminder_letter', subject, { source: `reminder-letter:${letter._id}`, at: letter.issuedAt });
  }
  const recordedAt = new Date();
  await letterRecords().updateOne({ _id: letter._id }, { $set: { state: 'recorded', recordedAt } });
  const recorded = { ...letter, state: 'recorded' as const, recordedAt };
  letters.set(letter._id, recorded);
  return recorded;
}

/** Finishes letters a stop or crash cut off after they were issued. */
export async function finishIssuedLetters(): Promise<number> {
  const pending = await letterRecords().find({ state: 'issued' }).toArray();
  for (const letter of pending) {
    letters.set(letter._id, letter);
    await recordLetter(letter);
    logger.info({ letterId: letter._id }, 'finished a reminder letter cut off after it was issued');
  }
  return pending.length;
}

export function letterView(letter: ReminderLetterRecord) {
  return {
    id: letter._id,
    number: letter.number,
    year: letter.year,
    date: letter.date,
    orgId: letter.orgId,
    orgName: letter.orgName,
    deadline: letter.deadline,
    state: letter.state,
    items: letter.items.map((item) => ({ ...item, label: reminderKindLabels[item.kind] })),
    issuedBy: letter.issuedBy.displayName,
    issuedAt: letter.issuedAt.toISOString(),
  };
}

const mayRead = (user: CurrentUser, letter: ReminderLetterRecord) => canSee(user, { orgId: letter.orgId });

export interface LetterQuery {
  orgId?: string;
  year?: number;
  page: number;
  limit: number;
}

/** The register of letters, newest first (an owner sees its own unit's). */
export function listLetters(user: CurrentUser, query: LetterQuery) {
  const listed = [...letters.values()]
    .filter((l) => mayRead(user, l) && (!query.orgId || l.orgId === query.orgId) && (!query.year || l.year === query.year))
    .sort((a, b) => b.year - a.year || b.seq - a.seq);
  const { page, limit } = query;
  return { items: listed.slice((page - 1) * limit, page * limit).map(letterView), total: listed.length, page, limit };
}

/** One letter, for a user who may read it. */
export function findLetter(user: CurrentUser, id: string): ReminderLetterRecord {
  const letter = letters.get(id);
  if (!letter || !mayRead(user, letter)) throw notFound(messages.letterNotVisible);
  return letter;
}
