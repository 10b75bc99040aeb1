import type { ApiRouter } from '../shared/api-router';
import { sourceOf } from '../audit/audit.service';
import { mailSettingsInput, mailSettingsView } from './mail.schemas';
import { deleteMailSettings, mailSettingsState, updateMailSettings } from './mail.service';

/** The SMTP server notifications go out through: the administrator's to set, like users and organisations. */
export function mailRoutes(api: ApiRouter): void {
  const admin = ['admin'] as const;
  const tag = '系统管理';

  api.route(
    { method: 'get', path: '/api/settings/mail', tag, summary: '邮件服务器设置（不返回密码）与发送队列', access: admin, responses: { 200: { description: '设置', schema: mailSettingsView } } },
    async () => ({ body: mailSettingsState() }),
  );

  api.route(
    { method: 'put', path: '/api/settings/mail', tag, summary: '设置邮件服务器', access: admin, body: mailSettingsInput, responses: { 200: { description: '已保存', schema: mailSettingsView } } },
    async ({ body, req }) => ({ body: await updateMailSettings(body, sourceOf(req)) }),
  );

  api.route(
    { method: 'delete', path: '/api/settings/mail', tag, summary: '删除邮件服务器设置（通知只在系统内显示）', access: admin, responses: { 204: { description: '已删除' } } },
    async ({ req }) => {
      await deleteMailSettings(sourceOf(req));
      return undefined;
    },
  );
}
