import type { ApiRouter } from '../shared/api-router';
import { sourceOf } from '../audit/audit.service';
import { notificationList, notificationListQuery, notificationParams, preferencesInput, preferencesView } from './notifications.schemas';
import { listNotifications, preferences, readAllNotifications, readNotification, updatePreferences } from './notifications.service';

export function notificationRoutes(api: ApiRouter): void {
  const tag = '通知';

  api.route(
    {
      method: 'get',
      path: '/api/notifications',
      tag,
      summary: '我的通知（最新在前）与未读数',
      access: 'user',
      query: notificationListQuery,
      responses: { 200: { description: '通知', schema: notificationList } },
    },
    async ({ user, query }) => ({ body: await listNotifications(user, query.limit, query.before) }),
  );

  api.route(
    { method: 'post', path: '/api/notifications/read-all', tag, summary: '全部标为已读', access: 'user', responses: { 204: { description: '已读' } } },
    async ({ user }) => {
      await readAllNotifications(user);
      return undefined;
    },
  );

  api.route(
    { method: 'post', path: '/api/notifications/:id/read', tag, summary: '标为已读（只能是自己的通知）', access: 'user', params: notificationParams, responses: { 204: { description: '已读' } } },
    async ({ user, params }) => {
      await readNotification(user, params.id);
      return undefined;
    },
  );

  api.route(
    { method: 'get', path: '/api/notifications/preferences', tag, summary: '通知邮箱与邮件提醒的通知种类', access: 'user', responses: { 200: { description: '设置', schema: preferencesView } } },
    async ({ user }) => ({ body: await preferences(user) }),
  );

  api.route(
    { method: 'put', path: '/api/notifications/preferences', tag, summary: '设置通知邮箱与邮件提醒的通知种类', access: 'user', body: preferencesInput, responses: { 200: { description: '已保存', schema: preferencesView } } },
    async ({ user, body, req }) => ({ body: await updatePreferences(user, body, sourceOf(req)) }),
  );
}
