/**
 * Provides a MongoDB-wire database to the service, in this order:
 * 1. MONGODB_URI when set (used as is);
 * 2. a `mongod` on PATH, started as a child on a free loopback port;
 * 3. the embedded FerretDB (SQLite backend), compiled once from
 *    `ferretdb-launcher/` with the local Go toolchain and cached.
 */
import { findExecutable } from './child-process';
import { liveHolder, lockDataDir } from './data-dir-lock';
import { ensureLauncher, startFerretDB } from './ferretdb';
import { startMongod } from './mongod';
import type { DatabaseKind, DatabaseOptions, RunningDatabase } from './database-types';

export type { DatabaseKind, DatabaseOptions, RunningDatabase } from './database-types';

const NO_DATABASE_MESSAGE = [
  '没有可用的数据库。请任选其一：',
  '  1. 设置环境变量 MONGODB_URI，指向一个 MongoDB；',
  '  2. 安装 MongoDB 服务端，使 mongod 位于 PATH 中；',
  '  3. 安装 Go 1.24 或更高版本，使 go 位于 PATH 中，以便编译内嵌的 FerretDB。',
  'No database available. Do one of:',
  '  1. set the MONGODB_URI environment variable to a MongoDB;',
  '  2. install the MongoDB server so that mongod is on PATH;',
  '  3. install Go 1.24 or newer with go on PATH, so the embedded FerretDB can be compiled.',
].join('\n');

export class NoDatabaseError extends Error {
  constructor(message = NO_DATABASE_MESSAGE) {
    super(message);
    this.name = 'NoDatabaseError';
  }
}

export async function startDatabase(opts: DatabaseOptions): Promise<RunningDatabase> {
  const external = opts.mongodbUri?.trim();
  if (external) {
    opts.log(`使用外部 MongoDB / using external MongoDB: ${redact(external)}`);
    return { uri: external, kind: 'external', stop: async () => {} };
  }

  if (opts.tool && !opts.tool.writes) {
    const service = await liveHolder(opts.dataDir);
    if (service?.shared && service.uri) {
      opts.log(`服务正在运行（进程 ${service.pid}），使用它的数据库 / using the running service's database at ${service.uri}`);
      return { uri: service.uri, kind: service.kind as DatabaseKind, stop: async () => {} };
    }
  }

  const lock = await lockDataDir(
    opts.dataDir,
    { name: opts.tool ? `npm run ${opts.tool.name}` : '服务', shared: !opts.tool },
    {
      log: opts.log,
      // Another process has taken DATA_DIR over and may be starting a database on it: stop ours at once, whatever it is doing.
      onCompromised(error) {
        console.error(`数据目录 ${opts.dataDir} 的锁已被其他进程接管，立即退出以免两个数据库同时写同一份数据：${error.message}`);
        process.exit(1);
      },
    },
  );
  try {
    const database = await startOwnDatabase({ ...opts, onProcess: (pid) => lock.record({ databasePid: pid }) });
    lock.record({ uri: database.uri, kind: database.kind });
    return {
      ...database,
      async stop() {
        try {
          await database.stop();
        } finally {
          await lock.release();
        }
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function startOwnDatabase(opts: DatabaseOptions): Promise<RunningDatabase> {
  const mongod = await findExecutable('mongod');
  if (mongod) return startMongod(mongod, opts);

  const launcher = await ensureLauncher(opts);
  if (!launcher) throw new NoDatabaseError();
  return startFerretDB(launcher, opts);
}

/** The URI without its password, for logs. */
function redact(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}
