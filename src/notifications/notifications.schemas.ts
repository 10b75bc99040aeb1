import { z } from 'zod';
import { notificationKinds } from '../../workflows/notifications';
import { emailAddress } from '../accounts/accounts.schemas';

export const notificationView = z
  .object({
    id: z.string(),
    kind: z.enum(notificationKinds),
    title: z.string(),
    text: z.string(),
    projectId: z.string(),
    at: z.string().describe('所述事项发生的时间'),
    read: z.boolean(),
  })
  .meta({ id: 'Notification' });

export const notificationListQuery = z.object({
  limit: z.coerce.number().int().min(0).max(100).default(20).describe('0：只要未读数'),
  before: z.coerce.number().int().min(1).optional().describe('上一页返回的 nextBefore：取比它更早的通知'),
});

export const notificationList = z
  .object({
    items: z.array(notificationView),
    unread: z.number().int(),
    nextBefore: z.number().int().optional().describe('还有更早的通知时，取下一页用的 before'),
  })
  .meta({ id: 'NotificationList' });

/** "<source>~<user id>" (notification.model.ts). */
export const notificationParams = z.object({ id: z.string().regex(/^[\w:.-]{1,120}~[0-9a-f]{24}$/, '通知编号格式不正确') });

export const preferencesView = z
  .object({
    email: z.string().optional(),
    kinds: z.array(z.object({ kind: z.enum(notificationKinds), label: z.string(), email: z.boolean() })).describe('本角色可能收到的通知，以及是否同时发送邮件'),
    mailConfigured: z.boolean().describe('是否已设置邮件服务器；未设置时通知只在系统内显示'),
  })
  .meta({ id: 'NotificationPreferences' });

export const preferencesInput = z
  .object({
    email: emailAddress.nullable().optional().describe('不填保留原邮箱；null 删除邮箱'),
    emailKinds: z.array(z.enum(notificationKinds)).max(notificationKinds.length).describe('同时发送邮件的通知'),
  })
  .meta({ id: 'NotificationPreferencesInput' });
