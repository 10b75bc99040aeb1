/**
 * `npm run demo:remove [-- --db NAME]`: removes the demo data (its organisations, accounts, projects with all that
 * belongs to them, and their stored files that nothing else uses) and keeps it from being loaded again. Run it with
 * the service stopped: it refuses while a service holds the database.
 */
import './support/quiet';
import { SYSTEM_ACTOR } from '../src/audit/audit.model';
import { removeDemoData } from '../src/demo/demo-removal';
import { cliArgs, runWithDatabase } from './support/cli';

const args = cliArgs();
await runWithDatabase(args.db, { name: 'demo:remove', writes: true }, async (settings) => {
  const removal = await removeDemoData(settings.uploadsDir, { actor: { ...SYSTEM_ACTOR, displayName: '系统（npm run demo:remove）' } });
  if (!removal) {
    console.log('数据库中没有演示数据，无需删除。');
    return 0;
  }
  console.log(
    `已删除演示数据：单位 ${removal.organisations} 个、账号 ${removal.users} 个、项目 ${removal.projects} 个（含其材料、核验码等记录）、文件 ${removal.files} 个。`,
  );
  if (removal.keptOrganisations.length) console.log(`以下演示单位下已有正式用户或项目，予以保留：${removal.keptOrganisations.join('、')}`);
  console.log('演示数据不会再次载入；现在可以以生产模式（NODE_ENV=production）启动服务。');
  return 0;
});
