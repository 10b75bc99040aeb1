import { problemCategoryLabels } from '../../workflows/problems';
import { addWorkingDays } from '../../workflows/working-days';
import type { DirectoryEntry } from '../accounts/accounts.service';
import { noticesFor, type Notice } from '../notifications/notice';
import { namedUser, usersOfUnit } from '../notifications/recipients';
import { catalogue, type ProjectRow } from '../projects/catalogue';
import { problemDirectory, type ProblemRow } from './problem-directory';

/** Who hears of a project's problems: its unit, its member of staff and its leader (docs/domain.md, "Notifications"). */
export function problemAudience(project: ProjectRow): DirectoryEntry[] {
  const { leaderId, staffId } = project.responsibility ?? {};
  return [...usersOfUnit(project.orgId), ...namedUser(staffId, 'staff'), ...namedUser(leaderId, 'leader')];
}

/** How a notification names a problem: its category and description. */
export const problemWords = (problem: Pick<ProblemRow, 'category' | 'description'>) => `${problemCategoryLabels[problem.category]}：${problem.description}`;

/**
 * 问题即将到期: every open problem whose due date is the next working day (on a Friday, a Monday) or has passed,
 * once per problem and due date: a new due date is news again. For the notification sweep.
 */
export function problemDueNotices(now: Date): Notice[] {
  const soon = addWorkingDays(now, 1);
  const notices: Notice[] = [];
  for (const problem of problemDirectory.newestFirst()) {
    const project = catalogue.get(problem.projectId);
    if (problem.state !== 'open' || !problem.dueDate || problem.dueDate > soon || !project) continue;
    const subject = { projectId: project.id, projectName: project.name, channel: project.channel, problem: problemWords(problem), dueDate: problem.dueDate };
    const notice = { source: `problem_due:${problem.id}:${problem.dueDate}`, content: { kind: 'problem_due' as const, subject }, orgId: project.orgId, at: now };
    notices.push(...noticesFor(problemAudience(project), notice));
  }
  return notices;
}
