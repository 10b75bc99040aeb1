import { may } from '../../workflows/access';
import { messages } from '../../workflows/messages';
import { applyResponsibility, handOnNeedsReason, RESPONSIBILITY_EVENT, type Responsibility, type ResponsibilityChange } from '../../workflows/responsibility';
import type { CurrentUser } from '../shared/current-user';
import { invalid, Problem, type FieldError } from '../shared/problem';
import { activeUser, userEntry } from '../accounts/accounts.service';
import { catalogue } from './catalogue';
import { responsibilityView } from './responsibility-view';
import { historyEntry } from './history';
import type { ProjectDoc } from './project.model';
import { commitProjectChange, expectVersion } from './project.repository';
import { assertMayOnProject, loadProjectFor } from './projects.service';

/**
 * Who answers for a project (docs/domain.md, "Who answers for a project"):
 * staff assign it, one project or many at once; each change is a history
 * entry committed with the project, and the project's copy is folded from
 * those entries (project.repository.ts), as `npm run check` folds it again.
 */

/** The leader must be a leader's account in use, the member of staff a staff account in use. */
function checkPeople(change: ResponsibilityChange): void {
  const errors: FieldError[] = [];
  if (change.leaderId && !activeUser(change.leaderId, 'leader')) errors.push({ path: 'leaderId', message: messages.notALeader });
  if (change.staffId && !activeUser(change.staffId, 'staff')) errors.push({ path: 'staffId', message: messages.notStaff });
  if (errors.length) throw invalid(errors);
}

type ReasonedChange = ResponsibilityChange & { reason?: string };

const handOnRefused = (current: Responsibility | undefined, { reason, ...change }: ReasonedChange) => handOnNeedsReason(current, change) && !reason;

/** Applies a change to one project's assignment; a change that changes nothing leaves the project (and its history) as it is. */
export async function setResponsibility(user: CurrentUser, projectId: string, change: ReasonedChange, expectedVersion?: number, now = new Date()): Promise<ProjectDoc> {
  checkPeople(change);
  const project = await loadProjectFor(user, projectId, 'assign');
  if (applyResponsibility(project.responsibility, change).changes.length === 0) return project;
  return commitProjectChange(projectId, (current) => {
    assertMayOnProject(user, 'assign', current);
    if (expectedVersion !== undefined) expectVersion(current, expectedVersion);
    if (handOnRefused(current.responsibility, change)) throw invalid([{ path: 'reason', message: messages.handOnNeedsReason }]);
    return { set: {}, entry: historyEntry(user, RESPONSIBILITY_EVENT, { reason: change.reason, data: applyResponsibility(current.responsibility, change) }, now) };
  });
}

/**
 * 首问负责制: a member of staff takes the project's reviews as its 经办人, unless
 * someone already handles them (then only a hand-on with a reason moves them).
 */
export async function takeReviews(user: CurrentUser, projectId: string, now = new Date()): Promise<ProjectDoc> {
  const project = await loadProjectFor(user, projectId, 'assign');
  if (project.responsibility?.staffId === user.id) return project;
  return commitProjectChange(projectId, (current) => {
    assertMayOnProject(user, 'assign', current);
    const handler = current.responsibility?.staffId;
    if (handler) throw new Problem(409, messages.alreadyHandledTitle, messages.alreadyHandled(userEntry(handler)?.displayName ?? handler));
    return { set: {}, entry: historyEntry(user, RESPONSIBILITY_EVENT, { data: applyResponsibility(current.responsibility, { staffId: user.id }) }, now) };
  });
}

/**
 * The same change for many projects (e.g. one leader for twenty key
 * projects). Every project is checked first, so a mistyped id or a closed
 * project changes nothing; then each is changed on its own, in its own
 * commit, and one that changed in between is reported, not hidden.
 */
export async function assignInBulk(user: CurrentUser, projectIds: string[], change: ReasonedChange, now = new Date()) {
  checkPeople(change);
  const errors: FieldError[] = [];
  projectIds.forEach((id, i) => {
    const row = catalogue.get(id);
    if (!row || !may(user, 'read', row)) errors.push({ path: `projectIds.${i}`, message: messages.notVisible });
    else if (!may(user, 'assign', row)) errors.push({ path: `projectIds.${i}`, message: messages.projectClosed(row.name) });
  });
  if (projectIds.some((id) => handOnRefused(catalogue.get(id)?.responsibility, change))) errors.push({ path: 'reason', message: messages.handOnNeedsReason });
  if (errors.length) throw invalid(errors);
  const items: { id: string; name: string; version: number; responsibility?: ReturnType<typeof responsibilityView> }[] = [];
  const failed: { id: string; message: string }[] = [];
  for (const id of new Set(projectIds)) {
    try {
      const project = await setResponsibility(user, id, change, undefined, now);
      items.push({ id, name: project.name, version: project.version, responsibility: responsibilityView(project.responsibility) });
    } catch (error) {
      if (!(error instanceof Problem) || error.status >= 500) throw error;
      failed.push({ id, message: error.detail ?? error.title });
    }
  }
  return { items, failed };
}
