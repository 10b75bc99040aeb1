import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadSettings, type Settings } from '../../src/config';
import { startService, type RunningService } from '../../src/server';

export const ADMIN = { username: 'admin', password: 'admin-password-1' };

export interface TestService extends RunningService {
  settings: Settings;
  workDir: string;
}

/**
 * A fresh service on a fresh database: the embedded one in a temporary folder,
 * or a uniquely named database when MONGODB_URI is set. Removed afterwards.
 */
export async function startTestService(overrides: Partial<Settings> = {}): Promise<TestService> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'fundflow-test-'));
  const settings: Settings = {
    ...loadSettings({ ...process.env, DEMO_DATA: 'false' }),
    port: 0,
    host: '127.0.0.1',
    dataDir: path.join(workDir, 'data'),
    uploadsDir: path.join(workDir, 'uploads'),
    adminUsername: ADMIN.username,
    adminPassword: ADMIN.password,
    ...overrides,
  };
  const dbName = `fundflow_test_${path.basename(workDir).replace(/\W/g, '_')}`;
  const service = await startService(settings, dbName);
  return {
    ...service,
    settings,
    workDir,
    async stop() {
      if (service.database.kind === 'external') await mongoose.connection.dropDatabase();
      await service.stop();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
