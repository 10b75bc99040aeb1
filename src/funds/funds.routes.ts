import { z } from 'zod';
import type { ApiRouter } from '../shared/api-router';
import { createDistrictQuota, districtQuotaDetail, districtQuotaInput, districtQuotaPatch, listDistrictQuotas, updateDistrictQuota } from './district-quotas';

const TAG = '资金';
const quotaView = z
  .object({
    id: z.string(),
    year: z.number().int(),
    batch: z.string(),
    label: z.string(),
    amount: z.number().int(),
    docNo: z.string().optional(),
    date: z.string().optional(),
    note: z.string().optional(),
    allocated: z.number().int().describe('已分配给项目的额度（各项目额度之和）'),
    left: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .loose()
  .meta({ id: 'DistrictBondQuota' });
const quotaParams = z.object({ id: z.string().min(1).max(50) });

/** The district's bond quotas (地方专项债券额度): staff keep them, leaders read them. */
export function fundsRoutes(api: ApiRouter): void {
  api.route(
    { method: 'get', path: '/api/bond-quotas', tag: TAG, summary: '地方专项债券额度（按年度、批次），含已分配与剩余', access: ['staff', 'leader'], query: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }), responses: { 200: { description: '额度', schema: z.object({ items: z.array(quotaView) }) } } },
    async ({ query }) => ({ body: { items: listDistrictQuotas(query.year) } }),
  );

  api.route(
    { method: 'post', path: '/api/bond-quotas', tag: TAG, summary: '登记省里下达的地方专项债券额度（年度、批次、金额）', access: ['staff'], body: districtQuotaInput, responses: { 201: { description: '已登记', schema: z.object({ quota: quotaView }) }, 409: { description: '该年度该批次已登记' } } },
    async ({ user, body }) => ({ status: 201, body: { quota: await createDistrictQuota(user, body) } }),
  );

  api.route(
    { method: 'get', path: '/api/bond-quotas/:id', tag: TAG, summary: '一笔地方专项债券额度及分配到的项目（合计即已分配）', access: ['staff', 'leader'], params: quotaParams, responses: { 200: { description: '额度', schema: z.object({ quota: quotaView }) } } },
    async ({ params }) => ({ body: { quota: districtQuotaDetail(params.id) } }),
  );

  api.route(
    { method: 'patch', path: '/api/bond-quotas/:id', tag: TAG, summary: '修改地方专项债券额度（总额不得低于已分配）', access: ['staff'], params: quotaParams, body: districtQuotaPatch, responses: { 200: { description: '已修改', schema: z.object({ quota: quotaView }) }, 422: { description: '低于已分配' } } },
    async ({ user, params, body }) => ({ body: { quota: await updateDistrictQuota(user, params.id, body) } }),
  );
}
