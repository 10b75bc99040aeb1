import { z } from 'zod';
import type { ApiRouter } from '../shared/api-router';
import { demoDataPresent } from './demo-marker';

export const demoStatus = z.boolean().describe('数据库中是否有演示数据（网页端据此在每个页面显示“演示数据”横幅）');

export function demoRoutes(api: ApiRouter): void {
  api.route(
    {
      method: 'get',
      path: '/api/public/status',
      tag: '公开',
      summary: '系统状态（登录页和大厅屏幕无需登录即可读取）',
      access: 'public',
      responses: { 200: { description: '状态', schema: z.object({ demoData: demoStatus }).meta({ id: 'PublicStatus' }) } },
    },
    async () => ({ body: { demoData: await demoDataPresent() } }),
  );
}
