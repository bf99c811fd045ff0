import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage } from '../harness/index.js';
import type { CloseDetail } from './support/collector-api.js';
import { startPipelineCollector } from './support/pipeline-collector.js';
import { startSocketIoApp, waitForOnlyClose, type SocketIoApp } from './support/socket-io-apps.js';

const FAST_HEARTBEAT = { PING_INTERVAL_MS: '500', PING_TIMEOUT_MS: '500' };
/** How long the server stays frozen after the page gave up: the agent records stalls from 1 s (this sets the stall's length, it races nothing). */
const EXTRA_FREEZE_MS = 1_500;

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

interface SocketIoWindow {
  __events: string[];
  __socket: { emit(event: string): void; disconnect(): void };
  start(options: Record<string, unknown>): void;
  dropPongs(): void;
}

/** The socket.io app (agent on the server) serving a page with the snippet and socket.io's browser bundle. */
async function scenario(t: TestContext, appEnv: Record<string, string> = {}): Promise<{ collectorUrl: string; app: SocketIoApp; page: Page }> {
  const collector = await startPipelineCollector(t, { joinWindowMs: 15_000 });
  const app = await startSocketIoApp(t, collector.url, appEnv);
  const page = await openPage(browser, `${app.url}/`, { t });
  return { collectorUrl: collector.url, app, page };
}

async function startSocket(page: Page, options: Record<string, unknown> = { transports: ['websocket'] }): Promise<void> {
  await page.evaluate((socketOptions) => (window as unknown as SocketIoWindow).start(socketOptions), options);
}

async function pageSaw(page: Page, event: string): Promise<void> {
  await page.waitForFunction((wanted) => (window as unknown as SocketIoWindow).__events.includes(wanted), event, { timeout: 20_000 });
}

const evidenceOf = (detail: CloseDetail) => detail.outcome?.evidence.join('\n') ?? '';

function assertBrowserJoined(detail: CloseDetail): void {
  assert.equal(detail.outcome?.observedBy, 'both', 'the browser span and the server span joined through __cw');
  assert.equal(detail.client?.service, 'socket-io-web');
  assert.equal(detail.outcome?.appProtocol, 'socket.io', 'the browser URL and the server agent both say socket.io');
  assert.match(String(detail.client?.attributes['url.full']), /\/socket\.io\/\?EIO=4&transport=websocket/);
}

test('browser: polling upgraded to websocket, then disconnect(): normal closure in phase open, the sid redacted by the snippet', async (t) => {
  const { collectorUrl, page } = await scenario(t);
  await startSocket(page, {});
  await pageSaw(page, 'upgrade websocket');
  await page.evaluate(() => (window as unknown as SocketIoWindow).__socket.disconnect());
  await pageSaw(page, 'disconnect io client disconnect');
  const detail = await waitForOnlyClose(collectorUrl, 'both');
  assertBrowserJoined(detail);
  assert.equal(detail.outcome?.cause, 'normal_closure');
  assert.equal(detail.client?.attributes['websocket.close.code'], 1005);
  assert.equal(detail.client?.attributes['websocket.phase'], 'open', 'the app closed an open socket and the closing handshake completed');
  assert.equal(detail.outcome?.phase, 'open');
  assert.match(String(detail.client?.attributes['url.full']), /[?&]sid=REDACTED(&|$)/);
  assert.equal(detail.server?.attributes['websocket.app.close_reason'], 'client namespace disconnect');
});

test('browser: a kick (socket.disconnect(true)) is application_close', async (t) => {
  const { collectorUrl, page } = await scenario(t);
  await startSocket(page);
  await pageSaw(page, 'connect');
  await page.evaluate(() => (window as unknown as SocketIoWindow).__socket.emit('kick me'));
  await pageSaw(page, 'disconnect io server disconnect');
  const detail = await waitForOnlyClose(collectorUrl, 'both');
  assertBrowserJoined(detail);
  assert.equal(detail.outcome?.cause, 'application_close');
  assert.match(evidenceOf(detail), /"server namespace disconnect"/);
});

test('browser: a page that stops answering engine.io pings is server_heartbeat_timeout, though the browser saw a clean 1005', async (t) => {
  const { collectorUrl, page } = await scenario(t, FAST_HEARTBEAT);
  await startSocket(page);
  await pageSaw(page, 'connect');
  await page.evaluate(() => (window as unknown as SocketIoWindow).dropPongs());
  await pageSaw(page, 'disconnect transport close');
  const detail = await waitForOnlyClose(collectorUrl, 'both');
  assertBrowserJoined(detail);
  assert.equal(detail.client?.attributes['websocket.close.code'], 1005);
  assert.equal(detail.outcome?.cause, 'server_heartbeat_timeout');
  assert.match(evidenceOf(detail), /"ping timeout"/);
});

test('browser: a middleware refusal is app_connect_rejected with its message', async (t) => {
  const { collectorUrl, page } = await scenario(t);
  await startSocket(page, { transports: ['websocket'], auth: { token: 'bad' } });
  await pageSaw(page, 'connect_error unauthorized');
  const detail = await waitForOnlyClose(collectorUrl, 'both');
  assertBrowserJoined(detail);
  assert.equal(detail.outcome?.cause, 'app_connect_rejected');
  assert.equal(detail.outcome?.appReason, 'connect_error: unauthorized');
  assert.match(evidenceOf(detail), /CONNECT_ERROR "unauthorized"/);
});

test('browser: io.close() is server_shutdown', async (t) => {
  const { collectorUrl, page } = await scenario(t);
  await startSocket(page);
  await pageSaw(page, 'connect');
  await page.evaluate(() => (window as unknown as SocketIoWindow).__socket.emit('shut down'));
  await pageSaw(page, 'disconnect transport close');
  const detail = await waitForOnlyClose(collectorUrl, 'both');
  assertBrowserJoined(detail);
  assert.equal(detail.outcome?.cause, 'server_shutdown');
  assert.match(evidenceOf(detail), /"server shutting down"/);
});

test('browser: the server froze and the page gave up on its pings; only the server agent can tell, by its stall', async (t) => {
  const { collectorUrl, app, page } = await scenario(t, FAST_HEARTBEAT);
  await startSocket(page);
  await pageSaw(page, 'connect');
  app.process.kill('SIGSTOP');
  try {
    await pageSaw(page, 'disconnect ping timeout');
    await new Promise((resolve) => setTimeout(resolve, EXTRA_FREEZE_MS));
  } finally {
    app.process.kill('SIGCONT');
  }
  const detail = await waitForOnlyClose(collectorUrl, 'both');
  assertBrowserJoined(detail);
  assert.ok(
    Number(detail.server?.attributes['websocket.event_loop_stall_ms']) >= EXTRA_FREEZE_MS,
    `stall ${String(detail.server?.attributes['websocket.event_loop_stall_ms'])}`,
  );
  assert.equal(detail.outcome?.cause, 'client_heartbeat_timeout');
  assert.match(evidenceOf(detail), /the server's event loop stalled for .* longer than the client's heartbeat allows \(pingTimeout 500 ms\)/i);
});
