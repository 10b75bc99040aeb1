import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { repoRoot } from '../../../src/config';

export const ARTIFACTS = path.join(repoRoot, 'test-artifacts');

/** Office desktops (issue 6): 1366×768. */
export const DESKTOP = { width: 1366, height: 768 };
/** A leader's phone. */
export const PHONE = { width: 390, height: 844 };

const FAILED_RESOURCE = /^Failed to load resource: the server responded with a status of (\d{3})/;

/**
 * One person's browser: its own cookies and cache, and every console error and
 * uncaught exception it shows. Requests the test makes fail on purpose (a 409,
 * an expired session) are logged by Chromium as failed resources; those statuses
 * are allowed with `expectFailedRequests`, nothing else is.
 */
export class BrowserUser {
  readonly errors: string[] = [];
  private allowedStatuses = new Set<number>();

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const failed = FAILED_RESOURCE.exec(message.text());
      if (failed && this.allowedStatuses.has(Number(failed[1]))) return;
      this.errors.push(`console: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => this.errors.push(`page error: ${error.message}`));
  }

  static async open(browser: Browser, baseUrl: string, viewport = DESKTOP): Promise<BrowserUser> {
    const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    context.setDefaultTimeout(20_000);
    return new BrowserUser(context, await context.newPage(), baseUrl);
  }

  expectFailedRequests(...statuses: number[]): void {
    this.allowedStatuses = new Set(statuses);
  }

  goto(pathname: string) {
    return this.page.goto(this.baseUrl + pathname);
  }

  /** Opens a page that needs a login, signs in on the login page it is sent to, and lands back on it. */
  async signInAt(pathname: string, username: string, password: string): Promise<void> {
    await this.goto(pathname);
    await this.page.waitForURL(/\/login\?redirect=/);
    await this.page.fill('input[name=username]', username);
    await this.page.fill('input[name=password]', password);
    await this.page.click('button[type=submit]');
    await this.page.waitForURL((url) => url.pathname === pathname);
  }

  byTest(name: string): Locator {
    return this.page.locator(`[data-test="${name}"]`);
  }

  /** Waits until the element shows this text (Element Plus re-renders after each answer). */
  async waitForText(locator: Locator, text: string | RegExp): Promise<void> {
    await locator.filter({ hasText: text }).first().waitFor();
  }

  /**
   * Picks an item of the user menu in the header and waits for what it opens. On a busy machine a click can land
   * while the drop-down still opens and do nothing, so it is tried again.
   */
  async fromUserMenu(item: string, opens: Locator): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.byTest('current-user').click();
      await this.page.locator('.el-dropdown-menu__item:visible', { hasText: item }).click();
      try {
        await opens.waitFor({ timeout: 3000 });
        return;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  /** The Element Plus message box on screen (closed ones stay in the page, hidden). */
  messageBox(): Locator {
    return this.page.locator('.el-message-box').filter({ visible: true }).first();
  }

  /** Confirms the message box on screen and waits until it is gone. */
  async confirm(): Promise<void> {
    const box = this.messageBox();
    await box.waitFor();
    const shown = await box.elementHandle();
    await box.locator('.el-message-box__btns .el-button--primary').click();
    await shown?.waitForElementState('hidden');
  }

  async screenshot(name: string, fullPage = true): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `web-${name}.png`);
    // Let charts and transitions settle, and start from the top so the sticky header sits where it belongs.
    // A screenshot is a record, not a check: on a busy machine (a PDF still rendering, the header's
    // count polling) the network may not fall quiet soon, and the picture is taken anyway.
    await this.page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
    await this.page.mouse.wheel(0, -100_000);
    await this.page.screenshot({ path: file, fullPage });
    return file;
  }

  close() {
    return this.context.close();
  }
}
