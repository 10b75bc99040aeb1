import { Types } from 'mongoose';
import { canSee, may } from '../../workflows/access';
import { messages } from '../../workflows/messages';
import {
  advanceProblem,
  decideProblemEvent,
  isOverdue,
  problemEventsAvailable,
  problemSummary,
  type ProblemCategory,
  type ProblemEvent,
  type ProblemEventRequest,
  type ProblemLevel,
  type ProblemRefusal,
  type ProblemState,
} from '../../workflows/problems';
import { chinaDay } from '../../workflows/working-days';
import type { CurrentUser } from '../shared/current-user';
import { KeyedLock } from '../shared/keyed-lock';
import { conflict, invalid, notFound, staleVersion, type Problem } from '../shared/problem';
import { organisationName } from '../accounts/accounts.service';
import { assertMay } from '../policy/policy';
import { catalogue, type ProjectRow } from '../projects/catalogue';
import { loadProjectFor } from '../projects/projects.service';
import { responsibilityView } from '../projects/responsibility-view';
import { notify } from '../notifications/notify';
import { logger } from '../shared/logger';
import { problemDirectory, problemRowOf, type ProblemRow } from './problem-directory';
import { problemStore, type ProblemDoc } from './problem.model';
import { problemAudience, problemWords } from './problem-reminders';
import { attachmentIdsOf, attachmentUrl, attachmentViews } from './problem-attachments';

/**
 * Raising problems, recording what was done about them, and finding them
 * (docs/domain.md, "Problems that hold a project up"). The rules are the
 * core's (workflows/problems.ts); access follows the project's: whoever may
 * see a project may raise a problem on it, its unit and staff handle it.
 */
export interface RaiseInput {
  category: ProblemCategory;
  description: string;
  level: ProblemLevel;
  responsibleUnit?: string;
  dueDate?: string;
  attachments?: string[];
}

const actor = (user: CurrentUser): ProblemEvent['by'] => ({ id: user.id, name: user.displayName, role: user.role });

/** Raises a problem on a project the user may see and raise problems on; the attachments must have been uploaded to that project. */
export async function raiseProblem(user: CurrentUser, projectId: string, input: RaiseInput, now = new Date()): Promise<ProblemDoc> {
  const project = await loadProjectFor(user, projectId, 'raise');
  if (input.dueDate && input.dueDate < chinaDay(now)) throw invalid([{ path: 'dueDate', message: messages.dueDateBeforeRaised }]);
  const attachmentIds = await attachmentIdsOf(project._id, input.attachments ?? []);
  const raise: ProblemEvent = { type: 'RAISE', at: now.toISOString(), by: actor(user), level: input.level };
  const problem: ProblemDoc = {
    _id: new Types.ObjectId(),
    projectId: project._id,
    orgId: project.orgId,
    category: input.category,
    description: input.description,
    responsibleUnit: input.responsibleUnit || undefined,
    dueDate: input.dueDate,
    attachmentIds,
    events: [raise],
    ...advanceProblem(undefined, raise),
    version: 1,
    raisedAt: now,
    updatedAt: now,
  };
  await problemStore.insert(problem);
  problemDirectory.put(problem);
  await tellOfProblem(user, problem);
  return problem;
}

/**
 * 问题交办: a problem raised is news for the project's unit, the member of
 * staff who handles the project and its leader, whoever raised it aside. The
 * problem stands whether or not the news gets out: a failure is logged.
 */
async function tellOfProblem(user: CurrentUser, problem: ProblemDoc): Promise<void> {
  const project = catalogue.get(problem.projectId.toString())!;
  const recipients = problemAudience(project).map((u) => u.id).filter((id) => id !== user.id);
  const subject = {
    projectId: project.id,
    projectName: project.name,
    channel: project.channel,
    problem: problemWords(problem),
    by: user.displayName,
    dueDate: problem.dueDate,
  };
  await notify(recipients, 'problem_assigned', subject, { source: `problem:${problem._id.toString()}:1`, at: problem.raisedAt }).catch((error: unknown) =>
    logger.warn({ err: error, problemId: problem._id.toString() }, 'problem raised, its notifications not delivered'),
  );
}

function problemFor(refusal: ProblemRefusal): Problem {
  return refusal.kind === 'illegal' ? conflict(refusal.message) : invalid(refusal.errors, refusal.errors.map((e) => e.message).join('；'));
}

/** A problem and its project as this user may see them, or 404. */
function visible(user: CurrentUser, problemId: string): { row: ProblemRow; project: ProjectRow } {
  const row = problemDirectory.get(problemId);
  const project = row && catalogue.get(row.projectId);
  if (!row || !project || !canSee(user, row)) throw notFound(messages.problemNotVisible);
  return { row, project };
}

const problemLock = new KeyedLock();

/**
 * Records an event on a problem: the core decides from the problem as stored
 * (workflows/problems.ts), and the event is appended in the same write that
 * changes the status, conditional on the version it replaces. Events on one
 * problem are serialised here, so two at once are taken one after the other,
 * each judged on what the other left; a sender who names the version it saw
 * (`expectedVersion`) gets 409 when another came first.
 */
export async function sendProblemEvent(user: CurrentUser, problemId: string, request: ProblemEventRequest & { expectedVersion?: number }, now = new Date()): Promise<ProblemDoc> {
  const { project } = visible(user, problemId);
  assertMay(user, 'handle', project);
  return problemLock.run(problemId, async () => {
    const current = await problemStore.find(new Types.ObjectId(problemId));
    if (!current) throw notFound(messages.problemNotVisible);
    if (request.expectedVersion !== undefined && request.expectedVersion !== current.version) throw staleVersion();
    const decision = decideProblemEvent(current, request, { at: now.toISOString(), by: actor(user) });
    if (!decision.ok) throw problemFor(decision.refusal);
    const { state: _state, level: _level, resolution: _resolution, resolvedAt: _resolvedAt, ...facts } = current;
    const updated: ProblemDoc = {
      ...facts,
      ...advanceProblem(current, decision.event),
      events: [...current.events, decision.event],
      version: current.version + 1,
      updatedAt: now,
    };
    const written = await problemStore.replace(updated, current.version).catch((error: unknown) => {
      // The write may have landed: take the problem as the database has it, when it answers.
      void problemStore.find(updated._id).then((stored) => stored && problemDirectory.put(stored), () => undefined);
      throw error;
    });
    if (!written) throw staleVersion();
    problemDirectory.put(updated);
    return updated;
  });
}

export interface ProblemQuery {
  state?: ProblemState;
  category?: ProblemCategory;
  level?: ProblemLevel;
  overdue?: boolean;
  leaderId?: string;
  staffId?: string;
  orgId?: string;
  projectId?: string;
  /** Part of the responsible unit's name. */
  unit?: string;
  /** Raised on or after / on or before (YYYY-MM-DD, China's calendar). */
  from?: string;
  to?: string;
}

export interface SelectedProblem {
  row: ProblemRow;
  project: ProjectRow;
}

/**
 * The problems the user may see that match, newest raised first. A project's,
 * a leader's or a member of staff's problems are found through their projects
 * (the catalogue's index), so the leader is always the project's current one.
 */
export function selectProblems(user: CurrentUser, query: ProblemQuery, today: string): SelectedProblem[] {
  const { state, category, level, overdue, leaderId, staffId, orgId, projectId, from, to } = query;
  const unit = query.unit?.toLowerCase();
  const candidates = projectId
    ? problemDirectory.ofProjects([projectId])
    : leaderId
      ? problemDirectory.ofProjects(catalogue.responsibleFor('leader', leaderId).map((p) => p.id))
      : staffId
        ? problemDirectory.ofProjects(catalogue.responsibleFor('staff', staffId).map((p) => p.id))
        : problemDirectory.newestFirst();
  const selected: SelectedProblem[] = [];
  for (const row of candidates) {
    const project = catalogue.get(row.projectId);
    if (!project || !canSee(user, row)) continue;
    const matches =
      (!state || row.state === state) &&
      (!category || row.category === category) &&
      (!level || row.level === level) &&
      (overdue === undefined || isOverdue(row, today) === overdue) &&
      (!orgId || row.orgId === orgId) &&
      (!leaderId || project.responsibility?.leaderId === leaderId) &&
      (!staffId || project.responsibility?.staffId === staffId) &&
      (!unit || (row.responsibleUnit ?? '').toLowerCase().includes(unit)) &&
      (!from || row.raisedOn >= from) &&
      (!to || row.raisedOn <= to);
    if (matches) selected.push({ row, project });
  }
  return selected;
}

/** The report sentence and counts for the problems selected. */
export function summaryOf(selected: readonly SelectedProblem[], today: string) {
  return { ...problemSummary(selected.map((s) => s.row)), overdue: selected.filter((s) => isOverdue(s.row, today)).length };
}

/** A problem as lists show it: with its project, unit, the project's leader now, and whether it is overdue. */
export function problemView({ row, project }: SelectedProblem, today: string) {
  const { raisedAt, updatedAt, attachmentIds, ...fields } = row;
  const responsibility = responsibilityView(project.responsibility);
  return {
    ...fields,
    projectName: project.name,
    orgName: organisationName(row.orgId),
    leaderId: responsibility?.leaderId,
    leaderName: responsibility?.leaderName,
    overdue: isOverdue(row, today),
    raisedAt: raisedAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    attachments: attachmentIds.map((id) => ({ id, url: attachmentUrl(id) })),
  };
}

export function listProblems(user: CurrentUser, query: ProblemQuery & { page: number; limit: number }, now = new Date()) {
  const today = chinaDay(now);
  const selected = selectProblems(user, query, today);
  const { page, limit } = query;
  return {
    items: selected.slice((page - 1) * limit, page * limit).map((s) => problemView(s, today)),
    total: selected.length,
    page,
    limit,
    summary: summaryOf(selected, today),
  };
}

/** One problem with every event, and the events this user may send now. */
export async function problemDetail(user: CurrentUser, problem: ProblemDoc | string, now = new Date()) {
  const id = typeof problem === 'string' ? problem : problem._id.toString();
  const { project } = visible(user, id);
  const stored = typeof problem === 'string' ? await problemStore.find(new Types.ObjectId(id)) : problem;
  if (!stored) throw notFound(messages.problemNotVisible);
  return {
    ...problemView({ row: problemRowOf(stored), project }, chinaDay(now)),
    attachments: await attachmentViews(stored.attachmentIds),
    events: stored.events,
    availableEvents: may(user, 'handle', project) ? problemEventsAvailable(stored) : [],
  };
}

/** Every problem of a project the user may see, newest first. */
export async function projectProblems(user: CurrentUser, projectId: string, now = new Date()) {
  await loadProjectFor(user, projectId);
  const today = chinaDay(now);
  const selected = selectProblems(user, { projectId }, today);
  return { items: selected.map((s) => problemView(s, today)), summary: summaryOf(selected, today) };
}

/** The problems a monthly report names must be its project's. */
export function assertProblemsOfProject(projectId: string, problemIds: readonly string[]): void {
  if (problemIds.some((id) => problemDirectory.get(id)?.projectId !== projectId)) throw invalid([{ path: 'problemIds', message: messages.problemNotOfProject }]);
}

/** Fills the directory from the problems collection, e.g. at start-up; returns how many there are. */
export async function loadProblemDirectory(): Promise<number> {
  const rows: ProblemRow[] = [];
  for await (const problem of problemStore.scan()) rows.push(problemRowOf(problem));
  problemDirectory.reset(rows);
  return rows.length;
}
