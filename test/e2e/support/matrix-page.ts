import type { Browser, Page } from 'playwright-core';
import { openPage, serveStatic, type CleanupScope } from '../../harness/index.js';

export interface MatrixPageOptions {
  collectorUrl: string;
  /** Load the browser agent from the collector; false for the server-only rows. */
  snippet: boolean;
  /** A Content-Security-Policy header for the page. */
  csp?: string;
  t: CleanupScope;
}

export interface MatrixConnectOptions {
  protocols?: string[];
  /** Sent once the socket is open. */
  sendOnOpen?: string;
}

export interface MatrixPage {
  page: Page;
  /** http://127.0.0.1:PORT of the page's own server. */
  origin: string;
  connect(url: string, options?: MatrixConnectOptions): Promise<void>;
  waitForOpen(timeoutMs?: number): Promise<void>;
  /** The socket's close event once it fired. */
  waitForClose(timeoutMs?: number): Promise<PageSocketEvent>;
  /** What the socket reported so far, in order. */
  events(): Promise<PageSocketEvent[]>;
  /** The app calls close() on its socket (in whatever state it is). */
  closeSocket(): Promise<void>;
}

/** One event of the page's socket (`throw` when the constructor threw). */
export type PageSocketEvent =
  { type: 'open' | 'error' | 'throw' } | { type: 'message'; data: string } | { type: 'close'; code: number; reason: string; wasClean: boolean };

interface RecorderWindow {
  __events: PageSocketEvent[];
  __socket?: WebSocket;
  connect(url: string, options: MatrixConnectOptions): void;
}

function pageHtml(options: MatrixPageOptions): string {
  const { collectorUrl } = options;
  const agent = options.snippet
    ? `<script src="${collectorUrl}/agent.js" data-endpoint="${collectorUrl}" data-service="matrix-web" data-flush-interval-ms="200"></script>`
    : '';
  return `<!doctype html><title>closewatch cause matrix</title>
${agent}
<script>
  window.__events = [];
  window.connect = function connect(url, options) {
    let socket;
    try {
      socket = new WebSocket(url, options.protocols);
    } catch (error) {
      window.__events.push({ type: 'throw' });
      return;
    }
    socket.addEventListener('open', function onOpen() {
      window.__events.push({ type: 'open' });
      if (options.sendOnOpen !== undefined) socket.send(options.sendOnOpen);
    });
    socket.addEventListener('message', function onMessage(event) { window.__events.push({ type: 'message', data: String(event.data) }); });
    socket.addEventListener('error', function onError() { window.__events.push({ type: 'error' }); });
    socket.addEventListener('close', function onClose(event) {
      window.__events.push({ type: 'close', code: event.code, reason: event.reason, wasClean: event.wasClean });
    });
    window.__socket = socket;
  };
</script>`;
}

/** A page on its own loopback origin (its own browser context) that records one WebSocket's events. */
export async function openMatrixPage(browser: Browser, options: MatrixPageOptions): Promise<MatrixPage> {
  const headers: Record<string, string> = options.csp ? { 'content-security-policy': options.csp } : {};
  const site = await serveStatic(
    { '/': { body: pageHtml(options), headers }, '/elsewhere': { body: '<!doctype html><title>another page</title>' } },
    { t: options.t },
  );
  const page = await openPage(browser, `${site.url}/`, { t: options.t });
  const eventOf = (type: string, timeoutMs: number) =>
    page.waitForFunction((wanted) => (window as unknown as RecorderWindow).__events.find((event) => event.type === wanted), type, { timeout: timeoutMs });
  return {
    page,
    origin: site.url,
    async connect(url, connectOptions = {}) {
      await page.evaluate(([target, opts]) => (window as unknown as RecorderWindow).connect(target, opts), [url, connectOptions] as const);
    },
    async waitForOpen(timeoutMs = 20_000) {
      await eventOf('open', timeoutMs);
    },
    async waitForClose(timeoutMs = 90_000) {
      const handle = await eventOf('close', timeoutMs);
      return (await handle.jsonValue()) as PageSocketEvent;
    },
    events() {
      return page.evaluate(() => (window as unknown as RecorderWindow).__events);
    },
    async closeSocket() {
      await page.evaluate(() => (window as unknown as RecorderWindow).__socket?.close());
    },
  };
}
