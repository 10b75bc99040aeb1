import { z } from 'zod';
import type { ApiRouter } from '../shared/api-router';
import { pageOf, pageQuery } from '../shared/schemas';
import { roles } from '../shared/current-user';
import { auditActions, type AuditAction } from './audit.model';
import { listAudit } from './audit.service';
import { messages } from '../../workflows/messages';
import { day } from '../../workflows/day-input';

/** The longest range one query may cover: it bounds how much of the log a query reads. */
const MAX_DAYS = 366;
/** Without dates: the last 90 days. */
const DEFAULT_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

const chinaToday = () => new Date(Date.now() + 8 * 60 * 60 * 1000).toISOString().slice(0, 10);
const daysBefore = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);

const actions = Object.keys(auditActions) as [AuditAction, ...AuditAction[]];

const auditQuery = pageQuery
  .extend({
    from: day.meta({ title: '起始日期' }).optional().describe(`起始日期（含），默认为截止日期前 ${DEFAULT_DAYS - 1} 天`),
    to: day.meta({ title: '截止日期' }).optional().describe('截止日期（含），默认为今天'),
    action: z.enum(actions).optional(),
    actor: z.string().trim().min(1).max(64).optional().describe('操作人用户名'),
    target: z.string().trim().min(1).max(100).optional().describe('对象编号或名称'),
    q: z.string().trim().min(1).max(100).optional().describe('在操作类型、用户名、姓名、对象、字段、说明和地址中查找'),
  })
  .transform((query) => {
    const to = query.to ?? chinaToday();
    return { ...query, to, from: query.from ?? daysBefore(to, DEFAULT_DAYS - 1) };
  })
  .refine((query) => query.from <= query.to, { message: messages.fromDayAfterToDay })
  .refine((query) => Date.parse(query.to) - Date.parse(query.from) < MAX_DAYS * DAY_MS, { message: messages.tooManyDays(MAX_DAYS) });

const value = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const auditEntryView = z
  .object({
    id: z.string(),
    at: z.string(),
    action: z.enum(actions),
    actionLabel: z.string(),
    actor: z.object({ id: z.string().optional(), username: z.string(), displayName: z.string().optional(), role: z.enum(roles).optional() }).optional(),
    target: z.object({ type: z.string(), id: z.string().optional(), name: z.string().optional() }).optional(),
    changes: z.array(z.object({ field: z.string(), from: value.optional(), to: value.optional() })).optional(),
    summary: z.string().optional(),
    address: z.string().optional(),
    requestId: z.string().optional(),
  })
  .meta({ id: 'AuditEntry' });

export function auditRoutes(api: ApiRouter): void {
  api.route(
    {
      method: 'get',
      path: '/api/audit',
      tag: '系统管理',
      summary: `审计日志（最新在前；按日期范围查询，默认最近 ${DEFAULT_DAYS} 天，最长 ${MAX_DAYS} 天）`,
      access: ['admin', 'leader'],
      query: auditQuery,
      responses: { 200: { description: '审计记录', schema: pageOf(auditEntryView) } },
    },
    async ({ query }) => ({ body: await listAudit(query) }),
  );
}
