import { fundsClosed, fundsDataProblems, fundsEvents, issuanceByEventStages, recordedItem, recordFunds, type FundsData, type FundsKind, type FundsRefusal } from '../../workflows/funds';
import { historyEntry } from '../projects/history';
import type { ProjectDoc } from '../projects/project.model';
import { commitProjectChange, expectVersion, findProject } from '../projects/project.repository';
import { projectStateOf } from '../projects/project-state';
import { assertMayOnProject } from '../projects/projects.service';
import type { CurrentUser } from '../shared/current-user';
import { conflict, forbidden, invalid, type Problem } from '../shared/problem';
import { sendEvent } from './workflow.service';
import { allocating } from '../funds/allocation';
import { allocationProblems } from '../funds/district-quotas';

/**
 * Money over several years (docs/domain.md, "Money over several years"): a
 * later plan release, a further bond quota, an issuance. Each is one project
 * change with its history entry (`FUNDS_*`) through commitProjectChange; the
 * rules are the domain core's (workflows/funds.ts). A quota taken from the
 * district's bond quota is committed under that quota's lock (allocation.ts).
 */
function problemFor(refusal: FundsRefusal): Problem {
  if (refusal.kind === 'forbidden') return forbidden(refusal.message);
  if (refusal.kind === 'illegal') return conflict(refusal.message);
  return invalid(refusal.errors, refusal.errors.map((e) => e.message).join('；'));
}

export async function recordMoney<K extends FundsKind>(user: CurrentUser, projectId: string, kind: K, input: FundsData<K> & { expectedVersion: number }, now = new Date()): Promise<ProjectDoc> {
  const { expectedVersion, ...rest } = input;
  const data = rest as unknown as FundsData<K>;
  const before = await findProject(projectId);
  assertMayOnProject(user, 'act', before);
  // While the bonds are first being issued, an issuance is the machine's event: it moves the project to 已发行.
  if (kind === 'issuance' && issuanceByEventStages.includes(before.stage) && before.channel === 'special_bond') {
    return sendEvent(user, projectId, { type: 'RECORD_ISSUANCE', expectedVersion, data }, now);
  }
  const districtQuotaId = kind === 'quota' ? (data as FundsData<'quota'>).districtQuotaId : undefined;
  return allocating(districtQuotaId, projectId, () =>
    commitProjectChange(projectId, (current) => {
      assertMayOnProject(user, 'act', current);
      const project = projectStateOf(current);
      const closed = fundsClosed(project, user, kind);
      if (closed) throw problemFor(closed);
      expectVersion(current, expectedVersion);
      const errors = fundsDataProblems(project.record, kind, data);
      if (districtQuotaId) {
        const { year, amount } = data as FundsData<'quota'>;
        errors.push(...allocationProblems(districtQuotaId, year, amount));
      }
      if (errors.length) throw problemFor({ kind: 'invalid', errors });
      const record = recordFunds(project.record, kind, data);
      return { set: record, entry: historyEntry(user, fundsEvents[kind], { data: recordedItem(project.record, record, kind) }, now) };
    }),
  );
}
