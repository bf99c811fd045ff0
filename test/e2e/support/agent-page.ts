import type { Browser, Page } from 'playwright-core';
import { openPage, serveStatic, type CleanupScope } from '../../harness/index.js';

/** What the page's WebSocket reported, in order. */
export type PageSocketEvent =
  { type: 'open' } | { type: 'error' } | { type: 'message'; data: string } | { type: 'close'; code: number; reason: string; wasClean: boolean };

export interface ConnectOptions {
  protocols?: string[];
  /** Sent once the socket is open. */
  sendOnOpen?: string;
}

interface RecorderWindow {
  __events: PageSocketEvent[];
  connect(url: string, options: ConnectOptions): void;
}

/**
 * A page that loads the real browser agent from the collector's `/agent.js` (data-endpoint = the
 * collector, flushing within 200 ms), then records its WebSocket's events.
 */
export function agentPageHtml(collectorUrl: string, service: string): string {
  return `<!doctype html><title>closewatch pipeline</title>
<script src="${collectorUrl}/agent.js" data-endpoint="${collectorUrl}" data-service="${service}" data-flush-interval-ms="200"></script>
<script>
  window.__events = [];
  window.connect = function connect(url, options) {
    const socket = new WebSocket(url, options.protocols);
    socket.addEventListener('open', function onOpen() {
      window.__events.push({ type: 'open' });
      if (options.sendOnOpen !== undefined) socket.send(options.sendOnOpen);
    });
    socket.addEventListener('message', function onMessage(event) { window.__events.push({ type: 'message', data: String(event.data) }); });
    socket.addEventListener('error', function onError() { window.__events.push({ type: 'error' }); });
    socket.addEventListener('close', function onClose(event) {
      window.__events.push({ type: 'close', code: event.code, reason: event.reason, wasClean: event.wasClean });
    });
  };
</script>`;
}

/** Serves the agent page on loopback (forwarding upgrades to `upgradeTo` when given) and opens it in its own context. */
export async function openAgentPage(
  browser: Browser,
  options: { collectorUrl: string; service: string; upgradeTo?: number; t: CleanupScope },
): Promise<{ page: Page; origin: string }> {
  const site = await serveStatic(
    { '/': { body: agentPageHtml(options.collectorUrl, options.service) } },
    { t: options.t, ...(options.upgradeTo === undefined ? {} : { upgradeTo: options.upgradeTo }) },
  );
  const page = await openPage(browser, `${site.url}/`, { t: options.t });
  return { page, origin: site.url };
}

/** Opens a WebSocket from the page to `url`. */
export async function connectFromPage(page: Page, url: string, options: ConnectOptions = {}): Promise<void> {
  await page.evaluate(([target, connectOptions]) => (window as unknown as RecorderWindow).connect(target, connectOptions), [url, options] as const);
}

/** The page's socket events once it saw `close` (bounded wait). */
export async function pageEventsUntilClose(page: Page, timeoutMs = 15_000): Promise<PageSocketEvent[]> {
  await page.waitForFunction(() => (window as unknown as RecorderWindow).__events.some((event) => event.type === 'close'), null, { timeout: timeoutMs });
  return page.evaluate(() => (window as unknown as RecorderWindow).__events);
}

/** Waits until the page's socket is open. */
export async function waitForPageOpen(page: Page, timeoutMs = 10_000): Promise<void> {
  await page.waitForFunction(() => (window as unknown as RecorderWindow).__events.some((event) => event.type === 'open'), null, { timeout: timeoutMs });
}
