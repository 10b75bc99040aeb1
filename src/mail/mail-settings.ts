import { settingsCollection, type MailSettings } from './mail.model';

/**
 * The mail settings in force, held in memory: every notification asks whether
 * mail is configured, and only this module changes them (in the database's one
 * service process). None: notifications stay in the app and nothing is sent.
 */
let current: MailSettings | undefined;

export async function loadMailSettings(): Promise<void> {
  const stored = await settingsCollection().findOne({ _id: 'mail' });
  current = stored ? { host: stored.host, port: stored.port, secure: stored.secure, user: stored.user, password: stored.password, from: stored.from } : undefined;
}

export const mailSettings = (): MailSettings | undefined => current;

export const mailConfigured = (): boolean => current !== undefined;

/** Stores new settings; a password left out keeps the one stored before (the API never shows it, so forms cannot send it back). */
export async function storeMailSettings(settings: MailSettings & { keepPassword: boolean }): Promise<MailSettings> {
  const { keepPassword, ...given } = settings;
  const next: MailSettings = { ...given, password: keepPassword ? current?.password : given.password };
  await settingsCollection().replaceOne({ _id: 'mail' }, { ...next, updatedAt: new Date() }, { upsert: true, ignoreUndefined: true });
  current = next;
  return next;
}

export async function removeMailSettings(): Promise<void> {
  await settingsCollection().deleteOne({ _id: 'mail' });
  current = undefined;
}
