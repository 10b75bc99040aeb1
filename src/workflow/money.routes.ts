import { z } from 'zod';
import { fundsData, type FundsKind } from '../../workflows/funds';
import type { ApiRouter } from '../shared/api-router';
import { idParams } from '../shared/schemas';
import { projectView } from '../projects/project.schemas';
import { projectDetail } from '../projects/projects.service';
import { recordMoney } from './money-records';

const paths: Record<FundsKind, { path: string; summary: string }> = {
  release: { path: 'releases', summary: '登记续建中央预算内投资项目以后年度下达的投资计划（计入下达年度的到位资金）' },
  quota: { path: 'quotas', summary: '登记专项债券项目以后年度追加的额度（可注明所用的地方专项债券额度，不得超分）' },
  issuance: { path: 'issuances', summary: '登记一笔债券发行（对应某一笔额度，累计不超过该额度；已下达、已发行阶段即“登记债券发行”操作）' },
};

/** Money over several years (docs/domain.md): each record is one project change with its history entry. */
export function moneyRoutes(api: ApiRouter): void {
  for (const kind of Object.keys(paths) as FundsKind[]) {
    api.route(
      {
        method: 'post',
        path: `/api/projects/:id/${paths[kind].path}`,
        tag: '流程',
        summary: paths[kind].summary,
        access: ['staff'],
        params: idParams,
        body: z.object({ expectedVersion: z.number().int().min(1), data: fundsData[kind] }),
        responses: {
          201: { description: '已登记', schema: z.object({ project: projectView }) },
          409: { description: '渠道或阶段不接受，或版本已过期' },
          422: { description: '数据不符（errors），如超过额度' },
        },
      },
      async ({ user, params, body }) => ({
        status: 201,
        body: { project: await projectDetail(user, await recordMoney(user, params.id, kind, { ...body.data, expectedVersion: body.expectedVersion } as never)) },
      }),
    );
  }
}
