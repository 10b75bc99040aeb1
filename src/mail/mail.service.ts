import type { z } from 'zod';
import type { AuditChange } from '../audit/audit.model';
import { recordAudit, type AuditSource } from '../audit/audit.service';
import { mailSettings, removeMailSettings, storeMailSettings } from './mail-settings';
import type { MailSettings } from './mail.model';
import type { mailSettingsInput } from './mail.schemas';
import { outboxStatus, retrySoon } from './outbox';

/** The settings as the administrator sees them: everything but the password, which is only said to be set. */
export function mailSettingsState() {
  const settings = mailSettings();
  const shown = settings && { host: settings.host, port: settings.port, secure: settings.secure, user: settings.user, from: settings.from, passwordSet: Boolean(settings.password) };
  return { settings: shown ?? null, outbox: outboxStatus() };
}

const shownFields = ['host', 'port', 'secure', 'user', 'from'] as const;

function changesBetween(before: MailSettings | undefined, after: MailSettings | undefined): AuditChange[] {
  const changes: AuditChange[] = shownFields
    .filter((field) => before?.[field] !== after?.[field])
    .map((field) => ({ field, from: before?.[field] ?? null, to: after?.[field] ?? null }));
  return before?.password !== after?.password ? [...changes, { field: 'password' }] : changes;
}

const target = { type: 'settings' as const, name: '邮件服务器' };

export async function updateMailSettings(input: z.output<typeof mailSettingsInput>, source: AuditSource) {
  const before = mailSettings();
  const after = await storeMailSettings({ ...input, keepPassword: input.password === undefined });
  await recordAudit({ ...source, action: 'settings.mail', target, changes: changesBetween(before, after) });
  // Mail waiting for a retry may go through the corrected server at once.
  retrySoon();
  return mailSettingsState();
}

export async function deleteMailSettings(source: AuditSource): Promise<void> {
  const before = mailSettings();
  if (!before) return;
  await removeMailSettings();
  await recordAudit({ ...source, action: 'settings.mail', target, changes: changesBetween(before, undefined), summary: '已删除邮件服务器设置，通知只在系统内显示' });
}
