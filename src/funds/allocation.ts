import { catalogue } from '../projects/catalogue';
import { findProject } from '../projects/project.repository';
import { Problem } from '../shared/problem';
import { messages } from '../../workflows/messages';
import type { Channel } from '../../workflows/vocabulary';
import { allocationProblems, districtLock, quotaKey } from './district-quotas';

const SETTLE_RETRY_MS = 1_000;

/**
 * Runs a project change that takes `amount` of district quota `id` (if any)
 * under that quota's lock: the change's plan checks what is left
 * (district-quotas.ts, allocationProblems) and nothing else allocates from the
 * quota until the change is committed and the catalogue, from which the
 * allocations are added up, shows it. When the database failed mid-write, the
 * change may or may not have landed: the lock is held until the project has
 * been read back, so the next allocation never counts without it.
 */
export function allocating<T>(id: string | undefined, projectId: string, change: () => Promise<T>): Promise<T> {
  if (!id) return change();
  return districtLock.run(quotaKey(id), async () => {
    try {
      return await change();
    } catch (error) {
      if (!(error instanceof Problem) || error.status >= 500) await settle(projectId);
      throw error;
    }
  });
}

async function settle(projectId: string): Promise<void> {
  for (;;) {
    try {
      catalogue.put(await findProject(projectId));
      return;
    } catch (error) {
      if (error instanceof Problem && error.status < 500) return;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_RETRY_MS).unref());
    }
  }
}

/** The district quota an approval's data names, if any (read before the data is checked: it decides the lock). */
export function namedDistrictQuota(data: unknown): string | undefined {
  const id = data && typeof data === 'object' ? (data as { districtQuotaId?: unknown }).districtQuotaId : undefined;
  return typeof id === 'string' && id.trim() ? id.trim() : undefined;
}

/** A central-budget approval cannot name a district bond quota; a special-bond one is checked like a further quota. */
export function approvalAllocationProblems(channel: Channel, data: { districtQuotaId?: string; year: number; amount: number }) {
  if (!data.districtQuotaId) return [];
  if (channel !== 'special_bond') return [{ path: 'data.districtQuotaId', message: messages.districtQuotaNotForCentral }];
  return allocationProblems(data.districtQuotaId, data.year, data.amount);
}
