/**
 * `npm run backup -- FILE [--db NAME]`: writes every collection and every stored
 * dossier file into one archive (a .tar.gz, readable by its owner only; src/backup).
 * With the embedded database it reads the running service's database, or starts the
 * database on DATA_DIR itself when the service is stopped.
 */
import './support/quiet';
import mongoose from 'mongoose';
import { writeBackup } from '../src/backup/backup';
import { CliError, cliArgs, runWithDatabase } from './support/cli';

const args = cliArgs();
const [file] = args.positionals;
await runWithDatabase(args.db, { name: 'backup', writes: false }, async (settings) => {
  if (!file) throw new CliError('用法：npm run backup -- 备份文件.tar.gz');
  const started = Date.now();
  const { manifest, bytes } = await writeBackup({ db: mongoose.connection.db!, uploadsDir: settings.uploadsDir, file });
  const documents = manifest.collections.reduce((sum, c) => sum + c.documents, 0);
  console.log(
    `已备份到 ${file}：${manifest.collections.length} 个集合 ${documents} 条记录，${manifest.files.length} 个文件，` +
      `共 ${(bytes / 1024 / 1024).toFixed(1)} MiB，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`,
  );
  return 0;
});
