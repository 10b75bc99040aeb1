import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, independent of the directory the service was started from. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Settings {
  port: number;
  host: string;
  mongodbUri?: string;
  dataDir: string;
  uploadsDir: string;
  adminUsername?: string;
  adminPassword?: string;
  demoData: boolean;
  logLevel: string;
  cookieSecure: boolean;
  /** Failed logins allowed per user and per address within `loginWindowMs`. */
  loginFailuresPerUser: number;
  loginFailuresPerAddress: number;
  loginWindowMs: number;
  maxUploadBytes: number;
  /** How often expired sessions are removed. */
  sessionSweepMs: number;
}

function intSetting(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new Error(`设置项应为整数 / setting must be an integer: ${value}`);
  return parsed;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  return {
    port: intSetting(env.PORT, 3000),
    host: env.HOST ?? '127.0.0.1',
    mongodbUri: env.MONGODB_URI || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? path.join(repoRoot, 'data')),
    uploadsDir: path.resolve(env.UPLOADS_DIR ?? path.join(repoRoot, 'uploads')),
    adminUsername: env.ADMIN_USERNAME || undefined,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    demoData: env.DEMO_DATA !== 'false',
    logLevel: env.LOG_LEVEL ?? 'info',
    cookieSecure: env.COOKIE_SECURE === 'true',
    loginFailuresPerUser: intSetting(env.LOGIN_FAILURES_PER_USER, 5),
    loginFailuresPerAddress: intSetting(env.LOGIN_FAILURES_PER_ADDRESS, 30),
    loginWindowMs: intSetting(env.LOGIN_WINDOW_MS, 15 * 60 * 1000),
    maxUploadBytes: intSetting(env.MAX_UPLOAD_BYTES, 50 * 1024 * 1024),
    sessionSweepMs: intSetting(env.SESSION_SWEEP_MS, 10 * 60 * 1000),
  };
}
