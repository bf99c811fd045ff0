// Open-socket snapshots (docs/design.md "Open-connection snapshots") as real headless Chromium sends
// them: one beacon per trigger, one `websocket.snapshot` span per open socket, never a connection span.
// Headless Chromium can fire two of the four triggers: the periodic one and `offline` (CDP network
// emulation, which also blocks the snapshot's beacon: it arrives once the page is online again). It fires no visibilitychange and no freeze (README, "Tests"), so those two are covered by
// the same code path through the page-event listener and by the classifier's scenarios only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, startWsServer, waitFor, type WsServerHandle } from '@closewatch/test/harness';
import { serveAgentPage, type ExportedSpan } from './agent-page.js';
import { recordingCollector, type RecordingCollector } from './recording-collector.js';

let browser: Browser;
let wsServer: WsServerHandle;
/** The URL of every upgrade the server accepted, `__cw` included. */
const upgradeUrls: string[] = [];

before(async () => {
  browser = await launchChromium();
  wsServer = await startWsServer({
    onConnection(socket, request) {
      upgradeUrls.push(request.url ?? '');
      socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    },
  });
});
after(async () => {
  await browser?.close();
  await wsServer?.close();
});

type Scope = Parameters<typeof serveAgentPage>[0]['t'];

/** Opens a page with the agent (`agent` its data-* attributes) and one propagated socket at `/echo?case=<name>`; resolves its connection span id. */
async function pageWithSocket(t: Scope, collector: RecordingCollector, agent: Record<string, string>, name: string): Promise<{ page: Page; spanId: string }> {
  const server = await serveAgentPage({ t, agent, upgradeTo: wsServer.port, routes: collector.routes });
  const page = await openPage(browser, `${server.url}/`, { t });
  await page.evaluate(`(async (base) => {
    window.socket = new WebSocket(base + '/echo?case=${name}');
    await new Promise((resolve) => (socket.onopen = resolve));
    socket.send('hello');
    await new Promise((resolve) => (socket.onmessage = resolve));
  })(${JSON.stringify(server.url.replace('http:', 'ws:'))})`);
  // The server saw the __cw parameter: its span id part is the connection span's id.
  const upgrade = await waitFor(() => upgradeUrls.find((url) => url.includes(`case=${name}`)), { message: `the upgrade of ${name}` });
  const traceparent = new URL(upgrade, 'http://x').searchParams.get('__cw') ?? '';
  return { page, spanId: traceparent.split('-')[2] };
}

const snapshotsOf = (collector: RecordingCollector, spanId: string) =>
  collector.spans().filter((span) => span.name === 'websocket.snapshot' && span.parentSpanId === spanId);

function assertSnapshotOfSocket(snapshot: ExportedSpan, trigger: string): void {
  assert.equal(snapshot.path, '/v1/beacon');
  assert.equal(snapshot.kind, 3, 'a CLIENT span');
  assert.equal(snapshot.startTimeUnixNano, snapshot.endTimeUnixNano);
  const attributes = snapshot.attributes;
  assert.equal(attributes['websocket.snapshot.trigger'], trigger);
  assert.equal(attributes['browser.visibility_state'], 'visible');
  assert.equal(attributes['websocket.messages.sent'], 1);
  assert.equal(attributes['websocket.messages.received'], 1);
  assert.equal(attributes['websocket.bytes.sent'], 5);
  assert.equal(attributes['websocket.buffered_amount'], 0);
  assert.equal(typeof attributes['websocket.since_last_sent_ms'], 'number');
  assert.equal(typeof attributes['websocket.since_last_received_ms'], 'number');
  assert.ok(
    (attributes['websocket.since_last_sent_ms'] as number) >= (attributes['websocket.since_last_received_ms'] as number),
    'the echo came after the send',
  );
  assert.ok(!('websocket.close.code' in attributes), 'a snapshot carries no close');
}

test('every data-snapshot-interval-ms while a socket is open, a beacon carries its snapshot: trace context, state, counts', async (t) => {
  const collector = recordingCollector();
  const { page, spanId } = await pageWithSocket(t, collector, { 'snapshot-interval-ms': '1000' }, 'interval');
  // On a loaded machine the first tick may come between open and the echo: take one after it.
  const snapshot = await waitFor(
    () => {
      const found = snapshotsOf(collector, spanId);
      return found.length >= 2 ? found.find((candidate) => candidate.attributes['websocket.messages.received'] === 1) : undefined;
    },
    { message: 'two periodic snapshots, one after the echo' },
  );
  assertSnapshotOfSocket(snapshot, 'interval');
  assert.equal(snapshot.attributes['browser.online'], true);
  assert.equal(snapshot.attributes['websocket.snapshot.interval_ms'], 1000);
  assert.deepEqual(
    snapshot.wireKeys.filter((key) => key.length > 3),
    [],
    'the snippet sends short keys',
  );
  // The connection span still comes once, at close, and the snapshots never counted as sent spans.
  await page.evaluate(`socket.close(1000)`);
  const connection = await collector.waitForSpan((span) => span.name === 'websocket.connection' && span.spanId === spanId);
  assert.equal(connection.attributes['websocket.close.code'], 1000);
  assert.equal(collector.spans().filter((span) => span.name === 'websocket.connection').length, 1);
  const stats = await page.evaluate<Record<string, number>>(`window[Symbol.for('closewatch.agent')].stats()`);
  assert.equal(stats.sent, 1, 'stats count connection spans only');
});

test('going offline (CDP network emulation) takes a snapshot with online false; the browser blocks its beacon, so it goes out again once online, with its delay', async (t) => {
  const collector = recordingCollector();
  const { page, spanId } = await pageWithSocket(t, collector, { 'snapshot-interval-ms': '0' }, 'offline');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.waitForFunction('navigator.onLine === false');
  const onlineAgainAt = Date.now();
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const snapshot = await waitFor(() => snapshotsOf(collector, spanId)[0], { message: 'the offline snapshot' });
  assertSnapshotOfSocket(snapshot, 'offline');
  assert.equal(snapshot.attributes['browser.online'], false);
  assert.equal(snapshot.attributes['websocket.snapshot.interval_ms'], 0);
  assert.equal(typeof snapshot.attributes['websocket.snapshot.delay_ms'], 'number');
  assert.ok(BigInt(snapshot.endTimeUnixNano) / 1_000_000n <= BigInt(onlineAgainAt), 'the span keeps the time it was taken offline');
});

test('data-snapshot-interval-ms="0" switches the periodic snapshots off: none while another page sends two', async (t) => {
  const collector = recordingCollector();
  const off = await pageWithSocket(t, collector, { 'snapshot-interval-ms': '0' }, 'periodic-off');
  const on = await pageWithSocket(t, collector, { 'snapshot-interval-ms': '1000' }, 'periodic-on');
  await waitFor(() => (snapshotsOf(collector, on.spanId).length >= 2 ? true : undefined), { message: 'two periodic snapshots of the other page' });
  assert.deepEqual(snapshotsOf(collector, off.spanId), []);
  assert.equal(await off.page.evaluate(`window[Symbol.for('closewatch.agent')].options.snapshotIntervalMs`), 0);
});

test('a socket without trace context (not in data-propagate-to) is left out of snapshots: the collector could not join it', async (t) => {
  const collector = recordingCollector();
  const { page } = await pageWithSocket(t, collector, { 'snapshot-interval-ms': '1000', 'propagate-to': 'elsewhere.example' }, 'unpropagated');
  const other = await pageWithSocket(t, collector, { 'snapshot-interval-ms': '1000' }, 'propagated');
  await waitFor(() => (snapshotsOf(collector, other.spanId).length >= 2 ? true : undefined), { message: 'two snapshots of the propagated socket' });
  assert.deepEqual(
    collector.spans().filter((span) => span.name === 'websocket.snapshot' && String(span.parentSpanId) === 'undefined'),
    [],
  );
  assert.equal(
    collector.requests.filter((request) => request.path === '/v1/beacon').length,
    snapshotsOf(collector, other.spanId).length,
    'one beacon per snapshot of the propagated socket',
  );
  await page.close();
});
