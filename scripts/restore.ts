/**
 * `npm run restore -- FILE [--force] [--db NAME]`: brings a backup back into an empty
 * database and an empty UPLOADS_DIR (refused otherwise; --force replaces the database's
 * collections), after verifying the whole archive (every file's SHA-256, every
 * collection's count), then runs the invariant check. Refused while the service runs on
 * the same DATA_DIR. Exit code 0 only when all of that passed.
 */
import './support/quiet';
import mongoose from 'mongoose';
import { RestoreRefused, restoreBackup } from '../src/backup/restore';
import { checkInvariants } from '../src/integrity/invariants';
import { CliError, cliArgs, runWithDatabase } from './support/cli';

const args = cliArgs();
const [file] = args.positionals;
await runWithDatabase(args.db, { name: 'restore', writes: true }, async (settings) => {
  if (!file) throw new CliError('用法：npm run restore -- 备份文件.tar.gz [--force]');
  const started = Date.now();
  const restored = await restoreBackup({ db: mongoose.connection.db!, uploadsDir: settings.uploadsDir, file, force: args.force }).catch((error: unknown) => {
    throw error instanceof RestoreRefused ? new CliError(`未恢复：${error.message}`) : error;
  });
  // The service's indexes, as a start of the service would create them.
  for (const name of mongoose.modelNames()) await mongoose.model(name).createIndexes();
  const check = await checkInvariants({ uploadsDir: settings.uploadsDir });
  console.log(
    `已从 ${file}（${restored.manifest.createdAt} 的备份）恢复 ${restored.documents} 条记录、${restored.files} 个文件，` +
      `用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`,
  );
  for (const v of check.violations) console.log(`[${v.rule}] ${v.projectId ?? ''} ${v.detail}`);
  console.log(check.violations.length ? `一致性检查发现 ${check.violations.length} 处问题` : `一致性检查通过（${check.projects} 个项目、${check.files} 个文件）`);
  return check.violations.length ? 1 : 0;
});
