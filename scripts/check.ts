/**
 * `npm run check [-- --json] [--db NAME]`: reads every project and stored file back
 * and lists what breaks the service's invariants (src/integrity). Exit code 0 when
 * there is nothing to report, 1 otherwise. With the embedded database it reads the
 * running service's database, or starts the database on DATA_DIR itself when the
 * service is stopped.
 */
import './support/quiet';
import { checkInvariants } from '../src/integrity/invariants';
import { cliArgs, runWithDatabase } from './support/cli';

const args = cliArgs();
await runWithDatabase(args.db, { name: 'check', writes: false }, async (settings) => {
  const started = Date.now();
  const report = await checkInvariants({ uploadsDir: settings.uploadsDir });
  if (args.json) {
    console.log(JSON.stringify(report));
  } else {
    for (const v of report.violations) console.log(`[${v.rule}] ${v.projectId ?? ''} ${v.documentId ?? ''} ${v.detail}`.replace(/\s+/g, ' '));
    console.log(
      `检查了 ${report.projects} 个项目、${report.documents} 份材料、${report.files} 个文件，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒：` +
        (report.violations.length ? `发现 ${report.violations.length} 处问题` : '未发现问题'),
    );
  }
  return report.violations.length ? 1 : 0;
});
