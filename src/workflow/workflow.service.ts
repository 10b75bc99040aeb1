import type { CurrentUser } from '../shared/current-user';
import { decide, type Refusal } from '../../workflows/decide';
import { messages } from '../../workflows/messages';
import { rules } from '../../workflows/rules-file';
import { chinaDay } from '../../workflows/working-days';
import { Problem, conflict, forbidden, invalid } from '../shared/problem';
import { historyEntry } from '../projects/history';
import type { ProjectDoc } from '../projects/project.model';
import { commitProjectChange, expectVersion } from '../projects/project.repository';
import { projectStateOf } from '../projects/project-state';
import { allocating, approvalAllocationProblems, namedDistrictQuota } from '../funds/allocation';
import type { EventData } from '../../workflows/event-data';
import { assertMayOnProject } from '../projects/projects.service';

export interface EventRequest {
  type: string;
  expectedVersion: number;
  reason?: string;
  data?: unknown;
}

function problemFor(refusal: Refusal): Problem {
  switch (refusal.kind) {
    case 'illegal':
      return conflict(refusal.message);
    case 'forbidden':
      return forbidden(refusal.message);
    case 'blocked': {
      const missing = refusal.failures.flatMap((f) => (f.kind === 'missing' ? f.missing : []));
      const errors = refusal.failures.flatMap((f) => (f.kind === 'invalid' ? [{ path: f.path, message: f.message }] : []));
      const detail = refusal.failures.map((f) => f.message).join('；');
      return missing.length
        ? new Problem(422, messages.missingDocumentsTitle, detail, { missing, ...(errors.length ? { errors } : {}) })
        : invalid(errors, detail);
    }
  }
}

/**
 * Sends one event to a project: the domain core decides from the project as it
 * is at the moment of the change (workflows/decide.ts), and the new stage and
 * record are committed with their history entry.
 */
export function sendEvent(user: CurrentUser, projectId: string, request: EventRequest, now = new Date()): Promise<ProjectDoc> {
  // An approval that takes a special-bond quota from the district's (地方专项债券额度) is committed under that quota's lock.
  const districtQuotaId = request.type === 'RECORD_APPROVAL' ? namedDistrictQuota(request.data) : undefined;
  return allocating(districtQuotaId, projectId, () =>
    commitProjectChange(projectId, (current) => {
      assertMayOnProject(user, 'act', current);
      expectVersion(current, request.expectedVersion);
      const event = { type: request.type, reason: request.reason, data: request.data, actor: { id: user.id, role: user.role, orgId: user.orgId }, at: now.toISOString(), day: chinaDay(now) };
      const decision = decide(projectStateOf(current), event, rules);
      if (!decision.ok) throw problemFor(decision.refusal);
      const { from, to, record, reason, data } = decision;
      if (request.type === 'RECORD_APPROVAL') {
        const errors = approvalAllocationProblems(current.channel, data as EventData<'RECORD_APPROVAL'>);
        if (errors.length) throw invalid(errors, errors.map((e) => e.message).join('；'));
      }
      return {
        set: { ...record, stage: to, ...(to !== from ? { stageEnteredAt: now } : {}) },
        entry: historyEntry(user, request.type, { from, to, reason, data }, now),
      };
    }),
  );
}
