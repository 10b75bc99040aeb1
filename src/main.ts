import { StartRefused, loadSettings } from './config';
import { DataDirBusyError } from './db/data-dir-lock';
import { NoDatabaseError } from './db/database';
import { LeaseHeldError } from './db/service-lease';
import { demoLogins, formatDemoLogins } from './demo/demo-cast';
import { startService } from './server';
import { logger } from './shared/logger';

async function main(): Promise<void> {
  const settings = loadSettings();
  const service = await startService(settings);
  console.log(`\n发改局项目资金申报管理系统已启动：${service.url}`);
  console.log(`  数据库：${service.database.kind}；API 文档：${service.url}/api/docs\n`);
  const logins = settings.demoData ? await demoLogins() : [];
  if (logins.length) console.log(`${formatDemoLogins(logins)}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await service.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof NoDatabaseError || error instanceof StartRefused || error instanceof DataDirBusyError || error instanceof LeaseHeldError) {
    console.error(`\n${error.message}\n`);
  } else {
    logger.fatal({ err: error }, '启动失败 / start-up failed');
  }
  process.exit(1);
});
