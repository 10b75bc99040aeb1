import { Types } from 'mongoose';
import type { z } from 'zod';
import { messages } from '../../workflows/messages';
import { securedFunds } from '../../workflows/money';
import {
  ceilingRefusal,
  draftRefusal,
  draftStages,
  draftTotals,
  leaveRefusal,
  reserveStages,
  rollingYearOf,
  rollingYears,
  ROUND_EVENT,
  roundReadiness,
  type roundInput,
  type roundPatch,
  type RoundStatus,
} from '../../workflows/rounds';
import { rules } from '../../workflows/rules-file';
import { droppedStages, type Channel } from '../../workflows/vocabulary';
import { chinaDay, workingDaysBetween } from '../../workflows/working-days';
import { organisationName } from '../accounts/accounts.service';
import { catalogue, type ProjectRow } from '../projects/catalogue';
import { historyEntry } from '../projects/history';
import { commitProjectChange, expectVersion } from '../projects/project.repository';
import { assertMayOnProject } from '../projects/projects.service';
import type { CurrentUser } from '../shared/current-user';
import { groupBy } from '../shared/group-by';
import { KeyedLock } from '../shared/keyed-lock';
import { sortByName } from '../shared/name-order';
import { invalid, notFound, Problem, staleVersion } from '../shared/problem';
import { roundRecords, type RoundRecord } from './round.model';

/**
 * Application rounds (申报批次) and their plan drafts (docs/domain.md,
 * "Application rounds"). Rounds are few (a handful a year), so they are held
 * in memory, read once at start like the catalogue; a round's projects are
 * the catalogue rows that name it, so its page reads no project's history.
 */
const rounds = new Map<string, RoundRecord>();

export async function loadRounds(): Promise<number> {
  rounds.clear();
  for (const round of await roundRecords().find({}).toArray()) rounds.set(round._id.toString(), round);
  return rounds.size;
}

/** A round by id, or 404. */
export function findRound(id: string): RoundRecord {
  const round = rounds.get(id);
  if (!round) throw notFound(messages.roundNotFound);
  return round;
}

export const roundName = (id: string): string | undefined => rounds.get(id)?.name;

/** Every round, newest year first, then by deadline. */
export const allRounds = (): RoundRecord[] => [...rounds.values()].sort((a, b) => b.year - a.year || (a.deadline < b.deadline ? 1 : a.deadline > b.deadline ? -1 : 0));

// A draft's total is checked and the change committed while nothing else changes the round.
const roundLock = new KeyedLock();

/** One project in a round: in its draft now, or forwarded upward in it (and since moved on). */
export interface RoundLine {
  row: ProjectRow;
  amount: number;
  forwarded: boolean;
}

/** The round's lines from the catalogue: projects that name it, and those whose forwarding upward recorded it; dropped ones are out. */
export function roundLines(id: string): RoundLine[] {
  const lines: RoundLine[] = [];
  for (const row of catalogue.rows()) {
    if (droppedStages.includes(row.stage)) continue;
    const application = row.record.applications.findLast((a) => a.roundId === id);
    // A project of the draft counts as forwarded while it is past the reserve (a rejection sends it back).
    if (row.round?.roundId === id) lines.push({ row, amount: row.round.amount, forwarded: !draftStages.includes(row.stage) });
    else if (application) lines.push({ row, amount: application.requestedAmount, forwarded: true });
  }
  return sortByName(lines, (line) => line.row.name);
}

const draftTotal = (id: string, leaving?: string) =>
  roundLines(id)
    .filter((line) => line.row.id !== leaving)
    .reduce((sum, line) => sum + line.amount, 0);

export function roundView(round: RoundRecord) {
  const { _id, createdAt, updatedAt, closedAt, ...rest } = round;
  const lines = roundLines(_id.toString());
  return {
    ...rest,
    id: _id.toString(),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    closedAt: closedAt?.toISOString(),
    projectCount: lines.length,
    ...draftTotals(
      lines.map((line) => line.amount),
      round.ceiling,
    ),
  };
}

/** Projects under review or forwarded upward that no round's draft holds: staff should put them in the round they answer. */
export function outsideRounds(channel?: Channel) {
  const rows = catalogue.rows().filter((row) => (row.stage === 'application_review' || row.stage === 'submitted') && (!channel || row.channel === channel) && !row.round);
  return sortByName(
    rows.map((row) => ({ id: row.id, name: row.name, channel: row.channel, stage: row.stage, orgName: organisationName(row.orgId), requestedAmount: row.requestedAmount })),
    (item) => item.name,
  );
}

export function listRounds(query: { channel?: Channel; year?: number; status?: RoundStatus; page: number; limit: number }) {
  const matching = allRounds().filter((r) => (!query.channel || r.channel === query.channel) && (!query.year || r.year === query.year) && (!query.status || r.status === query.status));
  const items = matching.slice((query.page - 1) * query.limit, query.page * query.limit).map(roundView);
  const outside = outsideRounds(query.channel);
  // Projects forwarded before rounds were kept may be many: the first 200 are named, all are counted.
  return { items, total: matching.length, page: query.page, limit: query.limit, outside: outside.slice(0, 200), outsideTotal: outside.length };
}

/** How a line reads on the round page and in its export. */
function lineView(line: RoundLine) {
  const { row } = line;
  return {
    id: row.id,
    name: row.name,
    orgId: row.orgId,
    orgName: organisationName(row.orgId),
    field: row.field,
    location: row.location,
    stage: row.stage,
    version: row.version,
    totalInvestment: row.totalInvestment,
    requestedAmount: row.requestedAmount,
    amount: line.amount,
    forwarded: line.forwarded,
    securedAmount: securedFunds(row.channel, row.record),
    projectCode: row.projectCode,
    contact: row.responsibility?.contact,
    phone: row.responsibility?.phone,
    readiness: roundReadiness(row, rules),
  };
}

export type RoundLineView = ReturnType<typeof lineView>;

const sums = <K extends string>(lines: RoundLineView[], keyOf: (line: RoundLineView) => K) =>
  [...groupBy(lines, keyOf)].map(([key, group]) => ({ key, count: group.length, amount: group.reduce((sum, line) => sum + line.amount, 0), totalInvestment: group.reduce((sum, line) => sum + line.totalInvestment, 0) }));

/**
 * The round page: its projects with the amount asked this time and how ready
 * each is, totals by field and unit against the ceiling, and what is not
 * ready, flagged while the deadline has not passed.
 */
export function roundDetail(id: string, now = new Date()) {
  const round = findRound(id);
  const today = chinaDay(now);
  const lines = roundLines(id).map(lineView);
  const byField = sums(lines, (line) => line.field).map(({ key, ...rest }) => ({ field: key, ...rest }));
  const byUnit = sortByName(
    sums(lines, (line) => line.orgId).map(({ key, ...rest }) => ({ orgId: key, orgName: organisationName(key) ?? key, ...rest })),
    (unit) => unit.orgName,
  );
  const pending = lines.filter((line) => !line.forwarded && !line.readiness.ready);
  return {
    round: roundView(round),
    items: lines,
    byField,
    byUnit,
    deadlinePassed: today > round.deadline,
    workingDaysLeft: workingDaysBetween(now, new Date(`${round.deadline}T12:00:00+08:00`)),
    notReady: pending.map((line) => ({ id: line.id, name: line.name, gaps: line.readiness.gaps })),
  };
}

/** The reserve's projects of the round's channel that could join its draft, with what they ask and how ready they are. */
export function roundCandidates(id: string) {
  const round = findRound(id);
  const rows = catalogue.rows().filter((row) => row.channel === round.channel && reserveStages.includes(row.stage) && row.round?.roundId !== id);
  return {
    items: sortByName(rows.map((row) => ({ ...lineView({ row, amount: row.requestedAmount, forwarded: false }), inRound: row.round && { roundId: row.round.roundId, name: roundName(row.round.roundId) } })), (line) => line.name),
  };
}

export async function createRound(user: CurrentUser, input: z.output<typeof roundInput>, now = new Date()): Promise<RoundRecord> {
  const round: RoundRecord = {
    _id: new Types.ObjectId(),
    ...input,
    status: 'open',
    version: 1,
    createdBy: { id: user.id, displayName: user.displayName },
    createdAt: now,
    updatedAt: now,
  };
  await roundRecords().insertOne(round);
  rounds.set(round._id.toString(), round);
  return round;
}

/** Writes a round's new version in place of the one it replaces. */
async function replaceRound(current: RoundRecord, changes: Partial<RoundRecord>, now: Date): Promise<RoundRecord> {
  const updated: RoundRecord = { ...current, ...changes, version: current.version + 1, updatedAt: now };
  const { matchedCount } = await roundRecords().replaceOne({ _id: current._id, version: current.version }, updated);
  if (matchedCount !== 1) throw staleVersion();
  rounds.set(current._id.toString(), updated);
  return updated;
}

export function updateRound(id: string, patch: z.output<typeof roundPatch>, now = new Date()): Promise<RoundRecord> {
  return roundLock.run(id, async () => {
    const current = findRound(id);
    if (current.version !== patch.expectedVersion) throw staleVersion();
    if (current.status === 'closed') throw new Problem(409, messages.problemTitles[409]!, messages.roundClosed(current.name));
    const { expectedVersion: _version, ceiling, ...fields } = patch;
    const total = draftTotal(id);
    if (ceiling !== undefined && ceiling !== null && ceiling < total) throw invalid([{ path: 'ceiling', message: messages.roundCeilingBelowDraft(ceiling, total) }], messages.roundCeilingBelowDraft(ceiling, total));
    const changes: Partial<RoundRecord> = { ...fields, ...(ceiling === null ? { ceiling: undefined } : ceiling !== undefined ? { ceiling } : {}) };
    return replaceRound(current, changes, now);
  });
}

/** Closes a round (its draft no longer changes) or opens it again. */
export function setRoundStatus(id: string, status: RoundStatus, now = new Date()): Promise<RoundRecord> {
  return roundLock.run(id, async () => {
    const current = findRound(id);
    if (current.status === status) return current;
    return replaceRound(current, { status, closedAt: status === 'closed' ? now : undefined }, now);
  });
}

const refused = (message: string, path = 'projectId') => invalid([{ path, message }], message);

/**
 * Puts a project in the round's draft with the amount asked this time, or
 * changes that amount; refused with the reason when the draft would go over
 * the round's ceiling. The project records it in its history (ROUND).
 */
export function putDraftLine(user: CurrentUser, id: string, projectId: string, input: { amount: number; expectedVersion?: number }, now = new Date()) {
  return roundLock.run(id, async () => {
    const round = findRound(id);
    if (!catalogue.get(projectId)) throw notFound(messages.notVisible);
    const total = draftTotal(id, projectId) + input.amount;
    const overCeiling = ceilingRefusal(total, round.ceiling);
    if (overCeiling) throw refused(overCeiling, 'amount');
    return commitProjectChange(projectId, (current) => {
      assertMayOnProject(user, 'assign', current);
      if (input.expectedVersion !== undefined) expectVersion(current, input.expectedVersion);
      const other = current.round && current.round.roundId !== id ? roundName(current.round.roundId) : undefined;
      const refusal = draftRefusal({ id, name: round.name, channel: round.channel, status: round.status }, current, input.amount, other);
      if (refusal) throw refused(refusal.message, refusal.path);
      return {
        set: { round: { roundId: id, amount: input.amount } },
        entry: historyEntry(user, ROUND_EVENT, { data: { roundId: id, roundName: round.name, amount: input.amount, ...(current.round ? { before: current.round } : {}) } }, now),
      };
    });
  });
}

/** Takes a project out of the round's draft, in its history (ROUND with no round). */
export function removeDraftLine(user: CurrentUser, id: string, projectId: string, now = new Date()) {
  return roundLock.run(id, async () => {
    const round = findRound(id);
    if (!catalogue.get(projectId)) throw notFound(messages.notVisible);
    return commitProjectChange(projectId, (current) => {
      assertMayOnProject(user, 'assign', current);
      const refusal = leaveRefusal({ id, name: round.name, status: round.status }, current);
      if (refusal) throw refused(refusal);
      return { set: { round: undefined }, entry: historyEntry(user, ROUND_EVENT, { data: { roundId: null, before: current.round } }, now) };
    });
  });
}

/**
 * The reserve as a three-year rolling plan (三年滚动投资计划): its projects
 * by planned year of application, with what they ask and their investment;
 * those whose unit has not given a year are listed apart.
 */
export function rollingPlan(from: number, channel?: Channel) {
  const years = rollingYears(from);
  const rows = catalogue.rows().filter((row) => reserveStages.includes(row.stage) && (!channel || row.channel === channel));
  const entry = (row: ProjectRow) => ({
    id: row.id,
    name: row.name,
    channel: row.channel,
    orgId: row.orgId,
    orgName: organisationName(row.orgId),
    field: row.field,
    stage: row.stage,
    applicationYear: row.applicationYear,
    totalInvestment: row.totalInvestment,
    requestedAmount: row.requestedAmount,
    roundId: row.round?.roundId,
  });
  const group = (list: ProjectRow[]) => {
    const items = sortByName(list.map(entry), (item) => item.name);
    return { count: items.length, requestedAmount: items.reduce((s, i) => s + i.requestedAmount, 0), totalInvestment: items.reduce((s, i) => s + i.totalInvestment, 0), items };
  };
  const placed = groupBy(rows, (row) => String(rollingYearOf(row.applicationYear, from) ?? ''));
  return {
    from,
    years: years.map((year) => ({ year, ...group(placed.get(String(year)) ?? []) })),
    later: group(rows.filter((row) => (rollingYearOf(row.applicationYear, from) ?? 0) > years.at(-1)!)),
    unplanned: group(placed.get('') ?? []),
  };
}
