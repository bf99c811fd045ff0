import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import type { WebSocket, WebSocketServer } from 'ws';
import { ATTR_CAUSE_HINT } from '@closewatch/conventions';
import { launchChromium, startWsServer, waitFor } from '../harness/index.js';
import { connectFromPage, openAgentPage, pageEventsUntilClose, waitForPageOpen } from './support/agent-page.js';
import { closesTotal, waitForClose } from './support/collector-api.js';
import { startInProcessAgent } from './support/node-agent.js';
import { startPipelineCollector } from './support/pipeline-collector.js';
import { startSilencingProxy } from './support/silencing-proxy.js';

/** Short so the test is quick; the pattern is the one of the ws README. */
const HEARTBEAT_INTERVAL_MS = 300;

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

/** A page with an open socket to a heartbeat app through a proxy that can silence the browser's bytes. */
async function openHeartbeatConnection(t: TestContext) {
  const collector = await startPipelineCollector(t);
  startInProcessAgent(t, collector.url, 'pipeline-heartbeat-app');
  const app = await startWsServer({ t, setup: startHeartbeat });
  const path = await startSilencingProxy(app.port, t);
  const { page } = await openAgentPage(browser, { collectorUrl: collector.url, service: 'pipeline-web', t });

  await connectFromPage(page, `ws://127.0.0.1:${path.port}/live`);
  await waitForPageOpen(page);
  return { collector, page, path };
}

test('a client that stops answering pings is terminated by the ws README heartbeat: the page sees 1006, the collector says server_heartbeat_timeout', async (t) => {
  const { collector, page, path } = await openHeartbeatConnection(t);
  // Pings keep arriving at the browser; its pongs no longer reach the server.
  path.silenceClients();

  assert.deepEqual(await pageEventsUntilClose(page), [{ type: 'open' }, { type: 'close', code: 1006, reason: '', wasClean: false }]);
  const detail = await waitForClose(collector.url, '/live');
  assert.equal(detail.outcome?.cause, 'server_heartbeat_timeout');
  assert.equal(detail.outcome?.observedBy, 'both');
  assert.equal(detail.outcome?.phase, 'open');
  assert.equal(detail.server?.traceId, detail.client?.traceId);
  assert.equal(detail.server?.attributes['websocket.termination'], 'terminate');
  assert.equal(detail.server?.attributes[ATTR_CAUSE_HINT], 'server_heartbeat_timeout');
  assert.ok(detail.server?.events.some((event) => event.name === 'websocket.ping_timeout'), 'the server span records the missed pong');
  assert.equal(detail.client?.attributes['websocket.close.code'], 1006);
  assert.equal(path.connections(), 1);
  const counted = await waitFor(() => closesTotal(collector.url, { cause: 'server_heartbeat_timeout', observed_by: 'both' }));
  assert.equal(counted, 1);
});

test('a browser that goes offline stops answering pings too: the server still sees a heartbeat timeout, the collector names the root cause client_offline', async (t) => {
  const { collector, page, path } = await openHeartbeatConnection(t);
  // Chromium's offline emulation fires `offline` but leaves open sockets alone; the silenced path is the lost network.
  await page.context().setOffline(true);
  path.silenceClients();

  assert.deepEqual(await pageEventsUntilClose(page), [{ type: 'open' }, { type: 'close', code: 1006, reason: '', wasClean: false }]);
  // The agent keeps the span until it can send it.
  await page.context().setOffline(false);
  const detail = await waitForClose(collector.url, '/live');
  assert.equal(detail.outcome?.cause, 'client_offline');
  assert.equal(detail.outcome?.observedBy, 'both');
  assert.equal(detail.client?.attributes['browser.went_offline'], true);
  assert.ok(detail.client?.events.some((event) => event.name === 'browser.offline'));
  assert.equal(detail.server?.attributes[ATTR_CAUSE_HINT], 'server_heartbeat_timeout', "the server's own view is kept in the record");
  assert.match(detail.outcome?.evidence.join('\n') ?? '', /offline/i);
});
