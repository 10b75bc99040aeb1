import type { Server } from 'node:http';
import mongoose from 'mongoose';
import type { Settings } from './config';
import { createApp } from './app';
import { startDatabase, type DatabaseOptions, type RunningDatabase } from './db/database';
import { ensureAdministrator, loadOrganisationDirectory, loadUserDirectory } from './accounts/accounts.service';
import { loadDemoData } from './demo/demo-data';
import { remainingDemoAccounts } from './demo/demo-marker';
import { StartRefused } from './config';
import { cleanTemporaryUploads } from './dossier/storage';
import { logger } from './shared/logger';
import { isFerretDB, useInProcessVersionCheck } from './db/capabilities';
import { loadCatalogue } from './projects/project.repository';
import { acquireServiceLease } from './db/service-lease';
import { watchDatabase } from './db/availability';
import { flushHistory } from './projects/history-appender';
import { finishCommittedImports } from './imports/imports.service';
import { loadProblemDirectory } from './problems/problems.service';
import { loadMailSettings } from './mail/mail-settings';
import { startMailSender } from './mail/outbox';
import { startNotifications } from './notifications/notifications.start';
import { problemDueNotices } from './problems/problem-reminders';
import { loadDistrictQuotas } from './funds/district-quotas';
import { finishIssuedLetters, loadReminderLetters } from './reminder-letters/reminder-letters.service';
import { loadRounds } from './rounds/rounds.service';

export interface RunningService {
  url: string;
  database: RunningDatabase;
  stop(): Promise<void>;
}

const log = (msg: string) => logger.info(msg);

/** How long a shutdown waits for requests in flight (a slow upload) before it cuts their connections. */
const DRAIN_TIMEOUT_MS = 8_000;

/** Connects to the database: the service's own, or for a command-line `tool` the one it may use (src/db/database.ts). */
export async function connectDatabase(settings: Settings, dbName = 'fundflow', tool?: DatabaseOptions['tool']): Promise<RunningDatabase> {
  const database = await startDatabase({ mongodbUri: settings.mongodbUri, dataDir: settings.dataDir, log, tool });
  // Fail fast instead of queueing while the database is away, so callers get a 503 in seconds.
  mongoose.set('bufferCommands', false);
  // `ignoreUndefined`: a field left undefined is left out, never stored as null.
  await mongoose.connect(database.uri, { dbName, serverSelectionTimeoutMS: 2000, autoIndex: false, ignoreUndefined: true });
  useInProcessVersionCheck(await isFerretDB());
  return database;
}

export async function prepareData(settings: Settings): Promise<void> {
  // Uploads cut off by a crash leave temporary files that no record points at.
  const leftovers = await cleanTemporaryUploads(settings.uploadsDir);
  if (leftovers) logger.info({ leftovers }, 'removed unfinished uploads');
  for (const name of mongoose.modelNames()) await mongoose.model(name).createIndexes();
  // Checked before anything is created, so a refused start leaves the database as it was.
  const demoAccounts = settings.production ? await remainingDemoAccounts() : [];
  if (demoAccounts.length) {
    throw new StartRefused(
      `数据库中仍有演示数据和演示账号（${demoAccounts.join('、')}，密码公开），生产模式（NODE_ENV=production）拒绝启动。\n` +
        '请运行 npm run demo:remove 删除演示数据及其账号后再启动（使用内置数据库时请先停止服务）。',
    );
  }
  const admin = await ensureAdministrator({ username: settings.adminUsername, password: settings.adminPassword, enforcePolicy: settings.production });
  if (admin?.generated) {
    console.log(`\n首次启动：已创建管理员 ${admin.username}，初始密码 ${admin.password}（仅显示这一次，请妥善保存）\n`);
  }
  await loadReadModels();
  if (settings.demoData) {
    const started = Date.now();
    const projects = await loadDemoData(settings.uploadsDir);
    if (projects) logger.info({ projects, ms: Date.now() - started }, 'demo data loaded');
  }
}

/** What lists and reports are answered from, read once from the database (README, "Storage and speed"). */
async function loadReadModels(): Promise<void> {
  const started = Date.now();
  await loadOrganisationDirectory();
  await loadUserDirectory();
  await loadMailSettings();
  const { projects, upgraded } = await loadCatalogue();
  if (upgraded) logger.info({ upgraded }, 'projects brought to the current storage layout');
  const problems = await loadProblemDirectory();
  logger.info({ projects, problems, ms: Date.now() - started }, 'catalogue loaded');
  await finishCommittedImports();
  await loadReminderLetters();
  await loadDistrictQuotas();
  await loadRounds();
  await finishIssuedLetters();
}

export async function startService(settings: Settings, dbName?: string): Promise<RunningService> {
  const database = await connectDatabase(settings, dbName);
  const lease = await acquireServiceLease(() => {
    logger.fatal('another service process took over the database; stopping');
    process.exit(1);
  }).catch(async (error: unknown) => {
    await mongoose.disconnect();
    await database.stop();
    throw error;
  });
  await prepareData(settings);
  const stopWatching = watchDatabase();
  const mailSender = await startMailSender({ firstRetryMs: settings.mailRetryMs });
  const notifications = await startNotifications(settings.publicUrl, [problemDueNotices]);
  const app = await createApp(settings);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(settings.port, settings.host, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  return {
    url: `http://${settings.host}:${port}`,
    database,
    async stop() {
      // Let in-flight requests finish before the database goes away, but do not wait for a stalled client forever.
      const cutOff = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS).unref();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearTimeout(cutOff);
      stopWatching();
      await notifications.stop();
      await mailSender.stop();
      await flushHistory().catch((error: unknown) => logger.warn({ err: error }, 'history entries left to their projects'));
      await lease.release();
      await mongoose.disconnect();
      await database.stop();
    },
  };
}
