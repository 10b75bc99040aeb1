import type { FundsKind } from '../../../workflows/funds';
import { api, query } from './http';
import type { DistrictQuota, DistrictQuotaDetail, ProjectDetail } from './types';

const paths: Record<FundsKind, string> = { release: 'releases', quota: 'quotas', issuance: 'issuances' };

/** A later plan release, a further quota or an issuance: one change of the project, at the version shown. */
export const recordMoney = (projectId: string, kind: FundsKind, expectedVersion: number, data: Record<string, unknown>) =>
  api.post<{ project: ProjectDetail }>(`/api/projects/${projectId}/${paths[kind]}`, { expectedVersion, data }).then((r) => r.project);

export const listDistrictQuotas = (year?: number) => api.get<{ items: DistrictQuota[] }>(`/api/bond-quotas?${query({ year })}`).then((r) => r.items);

export const districtQuotaDetail = (id: string) => api.get<{ quota: DistrictQuotaDetail }>(`/api/bond-quotas/${id}`).then((r) => r.quota);

export interface DistrictQuotaInput {
  year: number;
  batch: string;
  amount: number;
  docNo?: string;
  date?: string;
  note?: string;
}

export const createDistrictQuota = (input: DistrictQuotaInput) => api.post<{ quota: DistrictQuota }>('/api/bond-quotas', input).then((r) => r.quota);

export const updateDistrictQuota = (id: string, patch: Partial<Omit<DistrictQuotaInput, 'year'>> & { reason?: string }) =>
  api.patch<{ quota: DistrictQuota }>(`/api/bond-quotas/${id}`, patch).then((r) => r.quota);
