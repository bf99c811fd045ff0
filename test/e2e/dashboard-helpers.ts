import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

/** Where the dashboard tests write their screenshots (git-ignored; look at them after a run). */
export const SCREENSHOT_DIR = new URL('../screenshots/', import.meta.url).pathname;

export const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

/** A fresh context per page so storage (auto-refresh, admin token) does not leak between tests. */
export async function newDashboardPage(
  browser: Browser,
  viewport: { width: number; height: number } = WIDTHS.desktop,
  colorScheme: 'light' | 'dark' = 'light',
): Promise<Page> {
  const context = await browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  if (process.env.CLOSEWATCH_DEBUG) {
    page.on('console', (message) => console.error(`[page console.${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  }
  return page;
}

/** Full-page screenshot named `<name>.png` under test/screenshots. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true });
}

/** Text of every cell of a chart's table alternative, row by row. */
export async function chartTableRows(page: Page, chartId: string): Promise<string[][]> {
  return page.$$eval(`table[data-chart-table="${chartId}"] tbody tr`, (rows) =>
    rows.map((row) => Array.from(row.children).map((cell) => (cell.textContent ?? '').trim())),
  );
}

export async function statValue(page: Page, id: string): Promise<string> {
  return ((await page.textContent(`[data-stat="${id}"] .stat-value`)) ?? '').trim();
}
