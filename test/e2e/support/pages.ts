import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Download, Locator } from 'playwright-core';
import type { BrowserUser } from './browser';

/**
 * The little of the browser's own API the page functions of the tests use. The
 * root tsconfig has no DOM library (it is a Node project), and these functions
 * run in the page, not here.
 */
export interface PageGlobals {
  performance: {
    getEntriesByType(type: 'navigation'): { responseStart: number; domInteractive: number; loadEventEnd: number }[];
    getEntriesByType(type: 'resource'): { name: string; encodedBodySize: number; decodedBodySize: number }[];
    getEntriesByName(name: string): { startTime: number }[];
  };
  document: {
    documentElement: { scrollWidth: number; clientWidth: number };
    querySelectorAll(selector: string): ArrayLike<PageElement>;
    createRange(): { selectNodeContents(node: PageElement): void; getClientRects(): ArrayLike<Rect> };
  };
  getComputedStyle(element: PageElement): { overflowX: string; display: string; visibility: string };
  innerWidth: number;
  DataTransfer: new () => { items: { add(file: File): void } };
}

export interface Rect {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
  height: number;
}

export interface PageElement {
  tagName: string;
  className: string | { baseVal: string };
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  getBoundingClientRect(): Rect;
}

/** The dossier checklist's entry for one document type: a table row on a desk, a card on a phone. */
export function dossierRow(user: BrowserUser, docType: string): Locator {
  return user.byTest('dossier').locator('.el-table__row, [data-test=doc-card]', { has: user.page.locator(`[data-doc-type="${docType}"]`) });
}

/** Clicks one of the project's event buttons and completes what it asks: a confirmation, a reason or a form. */
export async function sendEvent(user: BrowserUser, type: string, input: { reason?: string; fields?: Record<string, string> } = {}) {
  await user.page.locator(`[data-event=${type}]`).click();
  const dialog = user.byTest('event-dialog');
  if (!input.reason && !input.fields) {
    // Events without a reason or data are confirmed in a message box, or (approvals) sent from a dialog with an optional opinion.
    const asked = user.page.locator('.el-message-box, [data-test="event-dialog"]').filter({ visible: true }).first();
    await asked.waitFor();
    if ((await asked.getAttribute('data-test')) === 'event-dialog') {
      await user.byTest('event-confirm').click();
      await dialog.waitFor({ state: 'hidden' });
    } else {
      await user.confirm();
    }
    return;
  }
  await dialog.waitFor();
  if (input.reason) await dialog.locator('textarea[name=reason]').fill(input.reason);
  for (const [name, value] of Object.entries(input.fields ?? {})) await dialog.locator(`input[name="${name}"]`).fill(value);
  await user.byTest('event-confirm').click();
  await dialog.waitFor({ state: 'hidden' });
}

/**
 * What makes a phone user scroll sideways: the page wider than the screen, any
 * box that scrolls sideways inside it, and anything visible that sticks out of
 * the screen on either side. Each as a short description.
 */
export function sidewaysScrolling(user: BrowserUser): Promise<string[]> {
  // No named functions inside: the test runner's compiler would wrap them in a helper the page does not have.
  return user.page.evaluate(() => {
    const page = globalThis as unknown as PageGlobals;
    const found: string[] = [];
    const root = page.document.documentElement;
    if (root.scrollWidth > root.clientWidth) found.push(`page ${root.scrollWidth}px wide`);
    for (const el of Array.from(page.document.querySelectorAll('body *'))) {
      const style = page.getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const cls = typeof el.className === 'string' ? el.className : el.className.baseVal;
      const what = `${el.tagName.toLowerCase()}.${cls.split(' ').slice(0, 2).join('.')} “${(el.textContent ?? '').trim().slice(0, 20)}”`;
      if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) found.push(`scrolls sideways: ${what} (${el.scrollWidth} > ${el.clientWidth})`);
      if (box.right > page.innerWidth + 1 || box.left < -1) found.push(`off screen: ${what} (${Math.round(box.left)}–${Math.round(box.right)})`);
    }
    return found.slice(0, 10);
  });
}

/** Clicks something that downloads a file, and reads the file as an Excel workbook's first sheet: headers and rows by header. */
export async function downloadWorkbook(user: BrowserUser, click: () => Promise<unknown>) {
  const [download] = await Promise.all([user.page.waitForEvent('download'), click()]);
  return readWorkbook(download);
}

export async function readWorkbook(download: Download) {
  const path = await download.path();
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await readFile(path) as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const values = (row.values as unknown[]).slice(1);
    if (values[0] === '合计') return;
    rows.push(Object.fromEntries(headers.map((h, i) => [h, values[i]])));
  });
  return { name: download.suggestedFilename(), headers, rows };
}
