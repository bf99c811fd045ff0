// Lost browser records (docs/design.md "Open-connection snapshots"): a Chromium renderer killed without
// pagehide (CDP Page.crash) while the path to the server goes silent, so only the server's heartbeat ends
// the connection and no browser close record ever comes. The cause comes from the browser's last
// snapshot. One test per snapshot trigger headless Chromium can fire: the periodic one, and `offline`
// (CDP Network.emulateNetworkConditions). It cannot fire the other two: it never makes a page hidden
// (no CDP command changes document.visibilityState; see agent/browser/README.md, "Tests"), and
// Page.setWebLifecycleState('frozen') fires no `freeze` event; that test runs and skips, saying so.
import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { WebSocket, WebSocketServer } from 'ws';
import { launchChromium, openPage, serveStatic, startWsServer, waitFor } from '../harness/index.js';
import { agentPageHtml, connectFromPage, waitForPageOpen } from './support/agent-page.js';
import { closesTotal, waitForClose } from './support/collector-api.js';
import { startBlackHoleProxy, type BlackHoleProxy } from './support/black-hole-proxy.js';
import { startInProcessAgent } from './support/node-agent.js';
import { startPipelineCollector } from './support/pipeline-collector.js';

/**
 * The pattern of the ws README, short so the test is quick, but long enough that a browser on a
 * saturated machine still answers every ping in time until the path is cut (300 ms was not).
 */
const HEARTBEAT_INTERVAL_MS = 2_000;

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

interface HeartbeatSocket extends WebSocket {
  isAlive?: boolean;
}

/** The ws README heartbeat: ping every interval, terminate a client that did not pong since the last ping. */
function startHeartbeat(wss: WebSocketServer): void {
  wss.on('connection', function markAlive(socket: HeartbeatSocket) {
    socket.isAlive = true;
    socket.on('pong', function heartbeat() {
      socket.isAlive = true;
    });
  });
  const interval = setInterval(function pingClients() {
    for (const socket of wss.clients as Set<HeartbeatSocket>) {
      if (socket.isAlive === false) {
        socket.terminate();
        continue;
      }
      socket.isAlive = false;
      socket.ping();
    }
  }, HEARTBEAT_INTERVAL_MS);
  wss.on('close', function stopHeartbeat() {
    clearInterval(interval);
  });
}

interface LostBrowser {
  collectorUrl: string;
  page: Page;
  cdp: CDPSession;
  path: BlackHoleProxy;
}

/** Snapshots the collector stored so far (`closewatch_ingest_spans_total{result="snapshot"}`). */
async function snapshotsReceived(collectorUrl: string): Promise<number> {
  const text = await (await fetch(`${collectorUrl}/metrics`)).text();
  const sample = /^closewatch_ingest_spans_total\{result="snapshot"\} (\S+)$/m.exec(text);
  return sample ? Number(sample[1]) : 0;
}

/** A page (snippet with `data-snapshot-interval-ms`) with an open socket to a heartbeat app behind a path that can swallow the client. */
async function openLostBrowser(t: TestContext, snapshotIntervalMs: number): Promise<LostBrowser> {
  const collector = await startPipelineCollector(t);
  startInProcessAgent(t, collector.url, 'lost-record-app');
  const app = await startWsServer({ t, setup: startHeartbeat });
  const path = await startBlackHoleProxy(app.port, t);
  const html = agentPageHtml(collector.url, 'lost-record-web').replace(
    'data-flush-interval-ms="200"',
    `data-flush-interval-ms="200" data-snapshot-interval-ms="${snapshotIntervalMs}"`,
  );
  const site = await serveStatic({ '/': { body: html } }, { t });
  const page = await openPage(browser, `${site.url}/`, { t });
  await connectFromPage(page, `ws://127.0.0.1:${path.port}/live`, { sendOnOpen: 'hello' });
  await waitForPageOpen(page);
  return { collectorUrl: collector.url, page, cdp: await page.context().newCDPSession(page), path };
}

/**
 * The tab dies the way a killed or crashed renderer does (no pagehide, no close event, no export), and
 * the path goes silent with it: the server learns nothing until its heartbeat gives up.
 */
async function killRenderer({ page, cdp, path }: LostBrowser): Promise<void> {
  path.cutClients();
  const crashed = new Promise((resolve) => page.once('crash', resolve));
  // Page.crash never answers: the target it would answer from is gone.
  cdp.send('Page.crash').catch(function crashLeavesNoAnswer() {});
  await crashed;
}

test('periodic snapshots, then the renderer is killed and the server heartbeat ends the connection: the last snapshot (visible, online, recent) says the network path, connection_lost', async (t) => {
  const lost = await openLostBrowser(t, 1000);
  await waitFor(async () => ((await snapshotsReceived(lost.collectorUrl)) >= 2 ? true : undefined), {
    timeoutMs: 20_000,
    message: 'two periodic snapshots at the collector',
  }).catch(async (error: Error) => {
    const metrics = (await (await fetch(`${lost.collectorUrl}/metrics`)).text()).split('\n').filter((line) => line.startsWith('closewatch_ingest'));
    const agent = await lost.page.evaluate(`JSON.stringify(window[Symbol.for('closewatch.agent')].options)`);
    throw new Error(`${error.message}; agent options ${String(agent)}; ${metrics.join('; ')}`);
  });
  await killRenderer(lost);

  const detail = await waitForClose(lost.collectorUrl, '/live', { observedBy: 'server_snapshot', timeoutMs: 30_000 });
  assert.equal(detail.client, null, 'no browser close record');
  assert.equal(detail.server?.attributes['websocket.termination'], 'terminate');
  assert.ok(
    detail.server?.events.some((event) => event.name === 'websocket.ping_timeout'),
    'the heartbeat ended it',
  );
  assert.equal(detail.outcome?.cause, 'connection_lost', detail.outcome?.evidence.join(' '));
  const evidence = detail.outcome?.evidence.join(' ') ?? '';
  assert.match(
    evidence,
    /The browser's last snapshot of this connection \(\d+ received, taken on interval\) is from [\d.]+ m?s before the server's end: the page was visible and online/,
  );
  assert.match(evidence, /, last sent [\d.]+ m?s before it; 0 bytes waiting to be sent/);
  assert.match(evidence, /network path/);
  assert.equal(await closesTotal(lost.collectorUrl, { cause: 'connection_lost', observed_by: 'server_snapshot' }), 1, 'counted once; snapshots are no closes');
  assert.equal(await closesTotal(lost.collectorUrl, {}), 1);
});

test('the browser goes offline (CDP network emulation): its snapshot, sent once back online, says offline; then the renderer is killed: client_offline', async (t) => {
  const lost = await openLostBrowser(t, 0);
  // Playwright's setOffline is CDP Network.emulateNetworkConditions offline; it leaves open sockets alone.
  await lost.page.context().setOffline(true);
  await lost.page.waitForFunction('navigator.onLine === false');
  // Emulated offline blocks the snapshot's beacon; the agent sends it again once online.
  await lost.page.context().setOffline(false);
  await waitFor(async () => ((await snapshotsReceived(lost.collectorUrl)) >= 1 ? true : undefined), {
    timeoutMs: 20_000,
    message: 'the offline snapshot at the collector',
  });
  await killRenderer(lost);

  const detail = await waitForClose(lost.collectorUrl, '/live', { observedBy: 'server_snapshot', timeoutMs: 30_000 });
  assert.equal(detail.client, null, 'no browser close record');
  assert.equal(detail.outcome?.cause, 'client_offline', detail.outcome?.evidence.join(' '));
  const evidence = detail.outcome?.evidence.join(' ') ?? '';
  assert.match(evidence, /\(1 received, taken on offline\) is from [\d.]+ m?s before the server's end: the page was visible and offline/);
  assert.match(evidence, /missed pong/);
  assert.equal(await closesTotal(lost.collectorUrl, { cause: 'client_offline', observed_by: 'server_snapshot' }), 1);
});

test('the page is frozen (CDP Page.setWebLifecycleState), then the renderer is killed: client_suspended from the freeze snapshot', async (t) => {
  const lost = await openLostBrowser(t, 0);
  await lost.page.evaluate(`window.froze = false; addEventListener('freeze', (e) => { if (e.isTrusted) window.froze = true; })`);
  await lost.cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
  await lost.cdp.send('Page.setWebLifecycleState', { state: 'active' });
  if (!(await lost.page.evaluate('window.froze'))) {
    t.skip('headless Chromium fires no freeze event for Page.setWebLifecycleState (agent/browser/README.md, "Tests"): the freeze trigger cannot be fired here');
    return;
  }
  await waitFor(async () => ((await snapshotsReceived(lost.collectorUrl)) >= 1 ? true : undefined), {
    timeoutMs: 20_000,
    message: 'the freeze snapshot at the collector',
  });
  await killRenderer(lost);
  const detail = await waitForClose(lost.collectorUrl, '/live', { observedBy: 'server_snapshot', timeoutMs: 30_000 });
  assert.equal(detail.outcome?.cause, 'client_suspended', detail.outcome?.evidence.join(' '));
  assert.match(detail.outcome?.evidence.join(' ') ?? '', /taken on freeze/);
});
