/**
 * Time to first meaningful content of every main screen, as the browser itself
 * measures it: Debian's Chromium opens each screen in a fresh context (a cold
 * cache, as on the first visit of the day) on N seeded projects, and reports
 * the first contentful paint and the moment the screen's content (its first
 * row, its figures, its form) is in the page, both from the navigation's start
 * (`performance.now()` in the page). Desktop at 1440×900, an owner's screens
 * also on a 390×844 phone.
 *
 *   npm run bench -- screens               # N = 1,000
 *   BENCH_SCREENS_N=10000 npm run bench -- screens
 *   BENCH_SCREENS_ONLY=login,board npm run bench -- screens   # the screens whose names contain one of these
 */
import { rm } from 'node:fs/promises';
import type { Browser, BrowserContext } from 'playwright-core';
import { ensureWebBuild } from '../scripts/ensure-web-build';
import { startChildServer } from '../test/support/child-server';
import { adminClient, signedInUser } from '../test/support/fixtures';
import { launchChromium } from '../test/e2e/support/chromium';
import { loopbackOnly } from './support/api';
import { fixed, type Benchmark } from './support/report';
import { seedWorkDir } from './support/seed-projects';
import { summarise } from './support/stats';

const N = Number(process.env.BENCH_SCREENS_N ?? 1000);
const SAMPLES = Number(process.env.BENCH_SCREENS_SAMPLES ?? 7);
const ONLY = process.env.BENCH_SCREENS_ONLY?.split(',').filter(Boolean);
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

type Role = 'visitor' | 'owner' | 'staff' | 'leader' | 'admin';

interface Screen {
  name: string;
  path: (ids: { project: string; ownProject: string }) => string;
  as: Role;
  viewport: typeof DESKTOP;
  /** What a user came for: the element whose arrival makes the screen useful. */
  content: string;
}

const SCREENS: Screen[] = [
  { name: 'login', path: () => '/login', as: 'visitor', viewport: DESKTOP, content: 'input[name=username]' },
  { name: 'hall board', path: () => '/board', as: 'visitor', viewport: DESKTOP, content: '[data-test=board] tbody tr, [data-test=board] .list .waiting' },
  { name: 'project list (staff)', path: () => '/projects', as: 'staff', viewport: DESKTOP, content: '[data-test=project-list] .el-table__row' },
  { name: 'project list (owner)', path: () => '/projects', as: 'owner', viewport: DESKTOP, content: '[data-test=project-list] .el-table__row' },
  { name: '待办 queue (staff)', path: () => '/queue', as: 'staff', viewport: DESKTOP, content: '[data-test=queue] .el-table__row' },
  { name: 'project page (staff)', path: ({ project }) => `/projects/${project}`, as: 'staff', viewport: DESKTOP, content: '[data-test=dossier] .el-table__row' },
  { name: 'new project form (owner)', path: () => '/projects/new', as: 'owner', viewport: DESKTOP, content: '[data-test=project-form] input[name=name]' },
  { name: 'dashboard (leader)', path: () => '/dashboard', as: 'leader', viewport: DESKTOP, content: '[data-test=summary] p' },
  { name: 'administration (admin)', path: () => '/admin', as: 'admin', viewport: DESKTOP, content: '[data-test=users] .el-table__row' },
  // On a phone the list and the dossier may be cards rather than table rows: either is the content.
  { name: 'project list (owner, phone)', path: () => '/projects', as: 'owner', viewport: PHONE, content: '[data-test=project-list] .el-table__row, [data-test=project-card]' },
  { name: 'project page (owner, phone)', path: ({ ownProject }) => `/projects/${ownProject}`, as: 'owner', viewport: PHONE, content: '[data-test=dossier] .el-table__row, [data-test=doc-card]' },
];

/**
 * Runs in the page before its own scripts: notes when `selector` first matches,
 * at the next animation frame (when the browser is about to paint it).
 */
function watchFor(selector: string) {
  const page = globalThis as unknown as {
    document: { querySelector(s: string): unknown };
    MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void; disconnect(): void };
    requestAnimationFrame(callback: () => void): void;
    performance: { now(): number };
    __contentAt?: number;
  };
  const observer = new page.MutationObserver(() => {
    if (!page.document.querySelector(selector)) return;
    observer.disconnect();
    page.requestAnimationFrame(() => {
      page.__contentAt = page.performance.now();
    });
  });
  observer.observe(page.document, { subtree: true, childList: true, characterData: true });
}

type SignedIn = Awaited<ReturnType<BrowserContext['storageState']>>;

async function measure(browser: Browser, baseUrl: string, screen: Screen, state: SignedIn | undefined, path: string) {
  const context: BrowserContext = await browser.newContext({ viewport: screen.viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', storageState: state });
  try {
    const page = await context.newPage();
    await page.addInitScript(watchFor, screen.content);
    await page.goto(baseUrl + path);
    // The paint entry is recorded a moment after the frame it describes.
    await page.waitForFunction(
      () => {
        const g = globalThis as unknown as { __contentAt?: number; performance: { getEntriesByName(n: string): unknown[] } };
        return g.__contentAt !== undefined && g.performance.getEntriesByName('first-contentful-paint').length > 0;
      },
      undefined,
      { timeout: 30_000 },
    );
    return await page.evaluate(() => {
      const g = globalThis as unknown as { __contentAt: number; performance: { getEntriesByName(n: string): { startTime: number }[] } };
      return { content: g.__contentAt, fcp: g.performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN };
    });
  } finally {
    await context.close();
  }
}

export const benchmark: Benchmark = {
  title: `time to first meaningful content of each main screen, ${N} projects, Chromium with a cold cache (median of ${SAMPLES})`,
  async run(progress) {
    ensureWebBuild(progress);
    const seeded = await seedWorkDir(N, progress);
    const child = await startChildServer({ workDir: seeded.workDir, env: { LOG_LEVEL: 'warn', PUBLIC_REQUESTS_PER_MINUTE: '100000' } });
    const browser = await launchChromium();
    try {
      const baseUrl = loopbackOnly(child.url);
      const admin = await adminClient(baseUrl);
      const ownerOrg = seeded.seeded[0]!.orgId;
      const people = {
        owner: await signedInUser(admin, 'owner', ownerOrg),
        staff: await signedInUser(admin, 'staff'),
        leader: await signedInUser(admin, 'leader'),
        admin: await signedInUser(admin, 'admin'),
      };
      // Each role signs in once; every sample starts a fresh context (empty cache) with that session.
      const states: Partial<Record<Role, SignedIn>> = {};
      for (const [role, person] of Object.entries(people) as [Exclude<Role, 'visitor'>, (typeof people)['owner']][]) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${baseUrl}/login`);
        await page.fill('input[name=username]', person.username);
        await page.fill('input[name=password]', person.password);
        await page.click('button[type=submit]');
        await page.waitForURL((url) => url.pathname !== '/login');
        states[role] = await context.storageState();
        await context.close();
      }
      const ids = { project: seeded.seeded[Math.floor(seeded.seeded.length / 2)]!.id, ownProject: seeded.seeded[0]!.id };
      const rows: (string | number)[][] = [];
      for (const screen of SCREENS.filter((s) => !ONLY || ONLY.some((part) => s.name.includes(part)))) {
        const samples = [];
        await measure(browser, baseUrl, screen, states[screen.as], screen.path(ids)); // warms the service, not the browser
        for (let i = 0; i < SAMPLES; i++) samples.push(await measure(browser, baseUrl, screen, states[screen.as], screen.path(ids)));
        const content = summarise(samples.map((s) => s.content));
        const fcp = summarise(samples.map((s) => s.fcp));
        rows.push([screen.name, `${screen.viewport.width}×${screen.viewport.height}`, fixed(fcp.p50, 0), fixed(content.p50, 0), fixed(content.max, 0)]);
        progress(`${screen.name}: content at ${fixed(content.p50, 0)} ms`);
      }
      return { columns: ['screen', 'viewport', 'first paint ms', 'content ms (median)', 'content ms (max)'], rows, goals: [] };
    } catch (error) {
      throw new Error(`${(error as Error).message}\nthe service's last lines:\n${child.output()}`, { cause: error });
    } finally {
      await browser.close();
      await child.stop();
      await rm(seeded.workDir, { recursive: true, force: true });
    }
  },
};
