import { chromium, type Browser, type Page } from 'playwright-core';
import { optionsWithScope, type ScopeOr } from './cleanup.js';

/** The Debian Chromium; the harness never downloads a browser. Override with CLOSEWATCH_CHROMIUM. */
export const chromiumPath = process.env.CLOSEWATCH_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumArgs = [
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
 * Launches headless Chromium (Playwright gives it a fresh temp profile and removes it on close).
 * Start it once per test file: `const browser = await launchChromium(); after(() => browser.close());`
 */
export async function launchChromium(options?: ScopeOr<{ args?: string[] }>): Promise<Browser> {
  const { t, args = [] } = optionsWithScope(options);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...chromiumArgs, ...args],
    timeout: 30_000,
  });
  t?.after(function closeBrowser() {
    return browser.close();
  });
  return browser;
}

/**
 * Opens `url` in a new page with its own browser context (fresh cookies and storage).
 * Console messages and page errors are echoed to stderr when CLOSEWATCH_DEBUG is set.
 */
export async function openPage(browser: Browser, url: string, options?: ScopeOr<object>): Promise<Page> {
  const { t } = optionsWithScope(options);
  const context = await browser.newContext();
  t?.after(function closePageContext() {
    return context.close();
  });
  const page = await context.newPage();
  if (process.env.CLOSEWATCH_DEBUG) {
    page.on('console', function pageOnConsole(message) {
      console.error(`[page console.${message.type()}] ${message.text()}`);
    });
    page.on('pageerror', function pageOnError(error) {
      console.error(`[page error] ${error.message}`);
    });
  }
  await page.goto(url);
  return page;
}
