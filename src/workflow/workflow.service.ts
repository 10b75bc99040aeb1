import type { CurrentUser } from '../accounts/current-user';
import type { GuardFailure } from '../../workflows/guards';
import { Problem, conflict, forbidden, invalid, staleVersion } from '../shared/problem';
import { historyEntry } from '../projects/history';
import type { ProjectDoc } from '../projects/project.model';
import { commitProjectChange } from '../projects/project.repository';
import { loadProjectFor } from '../projects/projects.service';
import { decide } from './engine';
import { chinaDay } from './working-days';

export interface EventRequest {
  type: string;
  expectedVersion: number;
  reason?: string;
  data?: unknown;
}

function problemFor(failure: GuardFailure | { kind: 'illegal'; detail: string }): Problem {
  switch (failure.kind) {
    case 'illegal':
      return conflict(failure.detail);
    case 'forbidden':
      return forbidden(failure.detail);
    case 'missing':
      return new Problem(422, '必备材料不齐', failure.detail, { missing: failure.missing });
    case 'invalid':
      return invalid(failure.errors, failure.detail);
  }
}

/**
 * Sends one event to a project: the machine decides from the stored snapshot,
 * and the new stage, record, `version + 1` and history entry are written in one
 * update conditional on the version the caller saw.
 */
export async function sendEvent(user: CurrentUser, projectId: string, request: EventRequest, now = new Date()): Promise<ProjectDoc> {
  const project = await loadProjectFor(user, projectId, 'act');
  if (project.version !== request.expectedVersion) throw staleVersion();

  const event = { ...request, actor: { id: user.id, role: user.role, orgId: user.orgId }, at: now.toISOString(), day: chinaDay(now) };
  const decision = decide(project, event);
  if (!decision.ok) throw problemFor(decision.failure);

  const { from, to, record } = decision;
  return commitProjectChange(projectId, request.expectedVersion, {
    set: { ...record, stage: to, ...(to !== from ? { stageEnteredAt: now } : {}) },
    entry: historyEntry(user, request.type, { from, to, reason: request.reason?.trim() || undefined, data: request.data }, now),
  });
}
