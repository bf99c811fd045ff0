import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { WebSocket } from 'ws';
import { launchChromium, openPage, serveStatic, startNginx, startWsServer, waitFor, type CleanupScope } from '../harness/index.js';

/** What the page's WebSocket reported, in order. */
type PageEvent = { type: 'open' } | { type: 'error' } | { type: 'close'; code: number; reason: string; wasClean: boolean };

const recorderPage = `<!doctype html><title>closewatch smoke</title><script>
  window.__events = [];
  window.connect = function connect(url) {
    const socket = new WebSocket(url);
    socket.addEventListener('open', function onOpen() { window.__events.push({ type: 'open' }); });
    socket.addEventListener('error', function onError() { window.__events.push({ type: 'error' }); });
    socket.addEventListener('close', function onClose(event) {
      window.__events.push({ type: 'close', code: event.code, reason: event.reason, wasClean: event.wasClean });
    });
  };
</script>`;

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

async function openRecorder(t: CleanupScope): Promise<Page> {
  const site = await serveStatic({ '/': { body: recorderPage } }, { t });
  return openPage(browser, `${site.url}/`, { t });
}

async function eventsUntilClose(page: Page): Promise<PageEvent[]> {
  await page.waitForFunction(() => (window as unknown as { __events: PageEvent[] }).__events.some((event) => event.type === 'close'), null, {
    timeout: 15_000,
  });
  return page.evaluate(() => (window as unknown as { __events: PageEvent[] }).__events);
}

test('an upgrade rejected with 401 behind nginx reaches the page as error, then close 1006 with no reason', async (t) => {
  const upgradeAttempts: string[] = [];
  const server = await startWsServer({
    t,
    verifyClient(info: { req: IncomingMessage }, done: (result: boolean, code?: number) => void) {
      upgradeAttempts.push(info.req.url ?? '');
      done(false, 401);
    },
  });
  const nginx = await startNginx({ t, upstreamPort: server.port });
  const page = await openRecorder(t);

  await page.evaluate((url) => (window as unknown as { connect(url: string): void }).connect(url), `${nginx.wsUrl}/live`);

  assert.deepEqual(await eventsUntilClose(page), [{ type: 'error' }, { type: 'close', code: 1006, reason: '', wasClean: false }]);
  assert.deepEqual(upgradeAttempts, ['/live']);
  // The status the browser hides is visible at the proxy.
  const accessLog = await waitFor(() => nginx.logs().access.match(/"GET \/live HTTP\/1\.1" (\d{3}) /), { message: 'nginx access log line' });
  assert.equal(accessLog[1], '401');
});

test('nginx proxy_read_timeout cuts an idle open connection: the page sees open, then close 1006, and the server sees its socket end', async (t) => {
  const serverCloses: number[] = [];
  const server = await startWsServer({
    t,
    onConnection(socket: WebSocket) {
      socket.on('close', function serverSocketOnClose(code) {
        serverCloses.push(code);
      });
    },
  });
  const nginx = await startNginx({ t, upstreamPort: server.port, proxyReadTimeout: 1 });
  const page = await openRecorder(t);

  await page.evaluate((url) => (window as unknown as { connect(url: string): void }).connect(url), `${nginx.wsUrl}/idle`);

  assert.deepEqual(await eventsUntilClose(page), [{ type: 'open' }, { type: 'close', code: 1006, reason: '', wasClean: false }]);
  await waitFor(() => serverCloses.length > 0, { message: 'server socket close' });
  assert.deepEqual(serverCloses, [1006]);
  const proxyLog = await waitFor(() => /upstream timed out .* while proxying upgraded connection/.test(nginx.logs().error), {
    message: 'nginx timeout log line',
  });
  assert.equal(proxyLog, true);
});
