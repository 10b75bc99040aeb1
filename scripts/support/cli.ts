/**
 * What the command-line tools share: their arguments, and the database found
 * exactly as the service finds it (`connectDatabase` with the same settings),
 * so they work on the embedded database under DATA_DIR or on MONGODB_URI. With
 * the embedded database, a tool that only reads uses the running service's
 * database, and one that writes refuses while the service runs.
 */
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { loadSettings, type Settings } from '../../src/config';
import { DataDirBusyError } from '../../src/db/data-dir-lock';
import { NoDatabaseError, type DatabaseOptions } from '../../src/db/database';
import { connectDatabase } from '../../src/server';
import { currentLease } from '../../src/db/service-lease';

export interface CliArgs {
  positionals: string[];
  /** The database name inside the server (the service's own is "fundflow"). */
  db: string;
  force: boolean;
  json: boolean;
  /** Mend what `npm run check` finds derived or half-done (see src/integrity/invariants.ts). */
  repair: boolean;
}

export function cliArgs(): CliArgs {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      db: { type: 'string', default: 'fundflow' },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      repair: { type: 'boolean', default: false },
    },
  });
  return { positionals, db: values.db, force: values.force, json: values.json, repair: values.repair };
}

/** Runs `work` with the service's database connected; its result is the process's exit code. */
export async function runWithDatabase(
  dbName: string,
  tool: NonNullable<DatabaseOptions['tool']>,
  work: (settings: Settings) => Promise<number>,
): Promise<never> {
  let code: number;
  try {
    const settings = loadSettings();
    const database = await connectDatabase(settings, dbName, tool).catch((error: unknown) => {
      throw error instanceof DataDirBusyError ? new CliError(error.message) : error;
    });
    try {
      // With MONGODB_URI no lock file guards the database: the service's lease says whether it runs.
      const lease = tool.writes ? await currentLease() : undefined;
      if (lease) throw new CliError(`服务正在使用这个数据库（${lease.host}，进程号 ${lease.pid}），${tool.name} 会修改数据，请先停止服务。`);
      code = await work(settings);
    } finally {
      await mongoose.disconnect();
      await database.stop();
    }
  } catch (error) {
    console.error(error instanceof NoDatabaseError || error instanceof CliError ? error.message : error);
    code = error instanceof CliError ? error.exitCode : 1;
  }
  process.exit(code);
}

/** A refusal the user can act on: printed without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
