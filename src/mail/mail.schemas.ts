import { z } from 'zod';

const address = z.email();

/** `地址` or `名称 <地址>`. */
function isSender(value: string): boolean {
  const match = /^(?:[^<>]{0,100}<([^<>\s]+)>|([^<>\s]+))$/.exec(value);
  return Boolean(match && address.safeParse(match[1] ?? match[2]).success);
}

export const mailSettingsInput = z
  .object({
    host: z.string().trim().regex(/^[A-Za-z0-9.-]{1,253}$|^\[[0-9A-Fa-f:.]{2,45}\]$/, '请填写邮件服务器的主机名或 IP 地址'),
    port: z.number().int().min(1).max(65535),
    secure: z.boolean().describe('true：连接即加密（通常为 465 端口）；false：服务器支持时用 STARTTLS'),
    user: z.string().trim().min(1).max(256).optional(),
    password: z.string().max(256).optional().describe('不填则保留原密码'),
    from: z.string().trim().max(200).refine(isSender, '发件人应为邮箱地址，或“名称 <邮箱地址>”'),
  })
  .meta({ id: 'MailSettingsInput' });

export const mailSettingsView = z
  .object({
    settings: z
      .object({ host: z.string(), port: z.number().int(), secure: z.boolean(), user: z.string().optional(), from: z.string(), passwordSet: z.boolean() })
      .nullable()
      .describe('null：未设置邮件服务器，通知只在系统内显示'),
    outbox: z.object({
      waiting: z.number().int().describe('待发送（含等待重试）'),
      failed: z.number().int().describe('多次重试后仍未发出'),
      lastFailure: z.object({ at: z.string(), error: z.string() }).optional().describe('最近一次发送失败（之后可能已重试成功）'),
    }),
  })
  .meta({ id: 'MailSettings' });
