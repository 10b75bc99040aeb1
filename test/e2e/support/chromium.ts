import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian packages the browser tests need, each with a file that shows it is installed. */
const PACKAGES: Record<string, string> = {
  chromium: CHROMIUM,
  // Without a CJK font every Chinese character in the screenshots is a box.
  'fonts-wqy-microhei': '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
};

/**
 * Debian's Chromium (and a Chinese font), installed here when missing: test
 * tools' own browser downloads fail on these machines (see the env notes).
 */
export function ensureChromium(): string {
  const missing = Object.keys(PACKAGES).filter((name) => !existsSync(PACKAGES[name]!));
  if (missing.length === 0) return CHROMIUM;
  if (process.getuid?.() !== 0) {
    throw new Error(`浏览器测试需要 Debian 软件包 ${missing.join('、')}，尚未安装。请以 root 运行 \`apt-get install -y ${missing.join(' ')}\`（或设置 CHROMIUM_PATH）。`);
  }
  console.log(`  installing ${missing.join(', ')} for the browser tests (apt-get install)…`);
  const apt = (...args: string[]) =>
    execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  try {
    apt('install', '-y', '--no-install-recommends', ...missing);
  } catch {
    // A fresh machine may have no package lists yet.
    apt('update');
    apt('install', '-y', '--no-install-recommends', ...missing);
  }
  const still = missing.filter((name) => !existsSync(PACKAGES[name]!));
  if (still.length) throw new Error(`apt-get 已运行，但仍缺少 ${still.join('、')}`);
  return CHROMIUM;
}

/**
 * This machine's network is closed: without the background-networking flags
 * Chromium's own connections are refused many at a time (env notes).
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A browser on a fresh, empty profile (Playwright gives every launch a new
 * temporary --user-data-dir), so every run starts from a cold cache.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), headless: true, args: FLAGS });
}
