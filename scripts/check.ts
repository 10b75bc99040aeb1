/**
 * `npm run check [-- --json] [--repair] [--db NAME]`: reads every project, its
 * history and every stored file back and lists what breaks the service's
 * invariants (src/integrity). `--repair` also mends what is derived or was left
 * half-done by a crash. Exit code 0 when nothing is wrong (after repairs), 1
 * otherwise. With the embedded database it reads the running service's
 * database, or starts the database on DATA_DIR itself when the service is
 * stopped; `--repair` refuses while the service runs.
 */
import './support/quiet';
import { checkInvariants } from '../src/integrity/invariants';
import { cliArgs, runWithDatabase } from './support/cli';

const args = cliArgs();
await runWithDatabase(args.db, { name: 'check', writes: args.repair }, async (settings) => {
  const started = Date.now();
  const report = await checkInvariants({ uploadsDir: settings.uploadsDir, repair: args.repair });
  if (args.json) {
    console.log(JSON.stringify(report));
  } else {
    for (const v of report.violations) console.log(`[${v.rule}] ${v.projectId ?? ''} ${v.documentId ?? ''} ${v.detail}`.replace(/\s+/g, ' '));
    const { appendedEntries, rebuiltTrails, rebuiltDossiers, rebuiltSchedules, rebuiltResponsibilities, notedReviews, codeClaims, droppedHistoryChunks } = report.repaired;
    if (report.pendingEntries) console.log(`${report.pendingEntries} 个项目的最新历史记录尚未写入历史表（正常运行中下次变更时写入；--repair 立即写入）`);
    if (report.idleCodeClaims) console.log(`${report.idleCodeClaims} 条项目代码占用记录已无项目使用（中断的修改所留，不影响使用；--repair 清除）`);
    if (appendedEntries || rebuiltTrails || rebuiltDossiers || rebuiltSchedules || rebuiltResponsibilities || notedReviews || codeClaims || droppedHistoryChunks) {
      console.log(
        `已修复：补写历史记录 ${appendedEntries} 条，重建审核轨迹 ${rebuiltTrails} 个、材料状态 ${rebuiltDossiers} 个、计划与月报数据 ${rebuiltSchedules} 个、责任分工 ${rebuiltResponsibilities} 个，补记材料审核 ${notedReviews} 份、项目代码占用记录 ${codeClaims} 条，删除与历史记录不一致的历史记录分段 ${droppedHistoryChunks} 个`,
      );
    }
    console.log(
      `检查了 ${report.projects} 个项目、${report.historyEntries} 条历史记录、${report.documents} 份材料、${report.files} 个文件，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒：` +
        (report.violations.length ? `发现 ${report.violations.length} 处问题` : '未发现问题'),
    );
  }
  return report.violations.length ? 1 : 0;
});
