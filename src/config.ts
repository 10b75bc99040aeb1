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
  /** NODE_ENV=production: demo data is never loaded, and demo accounts or a weak ADMIN_PASSWORD stop the start. */
  production: boolean;
  demoData: boolean;
  /** Scheme, host and any path prefix under which people reach the service; printed QR codes point here. */
  publicUrl: string;
  logLevel: string;
  cookieSecure: boolean;
  /** Failed logins allowed per user and per address within `loginWindowMs`. */
  loginFailuresPerUser: number;
  loginFailuresPerAddress: number;
  loginWindowMs: number;
  /** The first hold-back once an allowance is used up; each further one doubles, up to an hour. */
  loginFirstHoldMs: number;
  /** Requests per minute one address may make to each public endpoint. */
  publicRequestsPerMinute: number;
  maxUploadBytes: number;
  /** How often expired sessions are removed. */
  sessionSweepMs: number;
  /** The delay before an e-mail that failed is tried again; it doubles with each further failure, up to an hour. */
  mailRetryMs: number;
}

/** A reason not to start that the operator can act on: printed as it is, without a stack trace. */
export class StartRefused extends Error {}

function intSetting(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new StartRefused(`设置项应为整数 / setting must be an integer: ${value}`);
  return parsed;
}

/** An absolute http(s) address without a trailing slash, so that paths can be appended to it. */
function urlSetting(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new StartRefused(`PUBLIC_URL 应为完整网址，例如 https://fgj.example.gov.cn / PUBLIC_URL must be an absolute URL: ${value}`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash) {
    throw new StartRefused(`PUBLIC_URL 应为不带查询参数的 http(s) 网址 / PUBLIC_URL must be a plain http(s) URL: ${value}`);
  }
  return url.href.replace(/\/+$/, '');
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const production = env.NODE_ENV === 'production';
  const port = intSetting(env.PORT, 3000);
  const host = env.HOST ?? '127.0.0.1';
  if (production && !env.PUBLIC_URL) {
    throw new StartRefused('生产环境（NODE_ENV=production）必须设置 PUBLIC_URL：打印的申报书二维码指向这个地址 / PUBLIC_URL is required in production');
  }
  return {
    port,
    host,
    mongodbUri: env.MONGODB_URI || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? path.join(repoRoot, 'data')),
    uploadsDir: path.resolve(env.UPLOADS_DIR ?? path.join(repoRoot, 'uploads')),
    adminUsername: env.ADMIN_USERNAME || undefined,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    production,
    demoData: env.DEMO_DATA !== 'false' && !production,
    publicUrl: urlSetting(env.PUBLIC_URL || `http://${host}:${port}`),
    logLevel: env.LOG_LEVEL ?? 'info',
    cookieSecure: env.COOKIE_SECURE === 'true',
    loginFailuresPerUser: intSetting(env.LOGIN_FAILURES_PER_USER, 5),
    loginFailuresPerAddress: intSetting(env.LOGIN_FAILURES_PER_ADDRESS, 30),
    loginWindowMs: intSetting(env.LOGIN_WINDOW_MS, 15 * 60 * 1000),
    loginFirstHoldMs: intSetting(env.LOGIN_FIRST_HOLD_MS, 60 * 1000),
    publicRequestsPerMinute: intSetting(env.PUBLIC_REQUESTS_PER_MINUTE, 60),
    maxUploadBytes: intSetting(env.MAX_UPLOAD_BYTES, 50 * 1024 * 1024),
    sessionSweepMs: intSetting(env.SESSION_SWEEP_MS, 10 * 60 * 1000),
    mailRetryMs: intSetting(env.MAIL_RETRY_MS, 60 * 1000),
  };
}
