import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { CAUSES } from '@closewatch/conventions';
import { closesTotal, type CloseDetail } from './support/collector-api.js';
import { startPipelineCollector } from './support/pipeline-collector.js';
import { startSocketIoApp, startSocketIoClient, waitForOnlyClose } from './support/socket-io-apps.js';

/** Both agents' spans must meet: a side is awaited this long after the other ended. */
const JOIN_WINDOW_MS = 15_000;
/** Short heartbeats so a missed pong is noticed within a second or two. */
const FAST_HEARTBEAT = { PING_INTERVAL_MS: '500', PING_TIMEOUT_MS: '500' };

/** A collector, the socket.io app and a socket.io-client process, each of the apps under the real agent. */
async function scenario(t: TestContext, clientEnv: Record<string, string>, appEnv: Record<string, string> = {}, joinWindowMs = JOIN_WINDOW_MS) {
  const collector = await startPipelineCollector(t, { joinWindowMs });
  const app = await startSocketIoApp(t, collector.url, appEnv);
  const client = startSocketIoClient(t, collector.url, app.url, clientEnv);
  return { collector, app, client };
}

const evidenceOf = (detail: CloseDetail) => detail.outcome?.evidence.join('\n') ?? '';

function assertJoined(detail: CloseDetail): void {
  assert.equal(detail.outcome?.observedBy, 'both', 'the Node client and the server joined by traceparent');
  assert.equal(detail.client?.traceId, detail.server?.traceId);
  assert.equal(detail.outcome?.appProtocol, 'socket.io');
  assert.equal(detail.server?.attributes['websocket.app.protocol'], 'socket.io');
  assert.equal(detail.client?.attributes['websocket.app.protocol'], 'socket.io');
}

test('socket.io leave: client disconnect() is a normal closure with both reasons', async (t) => {
  const { collector, app, client } = await scenario(t, { LEAVE: 'connect' });
  await client.waitForOutput('disconnect io client disconnect');
  await app.process.waitForOutput('disconnect client namespace disconnect');
  const detail = await waitForOnlyClose(collector.url, 'both');
  assertJoined(detail);
  assert.equal(detail.outcome?.cause, 'normal_closure');
  assert.equal(detail.outcome?.phase, 'open');
  assert.equal(detail.server?.attributes['websocket.app.close_reason'], 'client namespace disconnect');
  assert.equal(detail.client?.attributes['websocket.app.close_reason'], 'io client disconnect');
  assert.match(evidenceOf(detail), /socket\.io client reported "io client disconnect"/);
  assert.equal(detail.outcome?.appReason, 'client namespace disconnect');
});

test('socket.io kick: socket.disconnect(true) is application_close, with the reason', async (t) => {
  const { collector, app, client } = await scenario(t, { EMIT: 'kick me' });
  await client.waitForOutput('disconnect io server disconnect');
  await app.process.waitForOutput('disconnect server namespace disconnect');
  const detail = await waitForOnlyClose(collector.url, 'both');
  assertJoined(detail);
  assert.equal(detail.outcome?.cause, 'application_close');
  assert.match(evidenceOf(detail), /"server namespace disconnect": the server application disconnected the client/);
  assert.match(evidenceOf(detail), /"io server disconnect"/);
  assert.equal(detail.outcome?.appReason, 'server namespace disconnect');
});

test('socket.io client drops pongs (engine.io pings are data frames): server_heartbeat_timeout, not normal_closure', async (t) => {
  const { collector, app, client } = await scenario(t, { DROP_PONGS: '1' }, FAST_HEARTBEAT);
  await app.process.waitForOutput('disconnect ping timeout');
  await client.waitForOutput('disconnect transport close');
  const detail = await waitForOnlyClose(collector.url, 'both');
  assertJoined(detail);
  assert.equal(detail.outcome?.cause, 'server_heartbeat_timeout');
  assert.equal(detail.server?.attributes['websocket.cause.hint'], 'server_heartbeat_timeout');
  assert.ok(detail.server?.events.some((event) => event.name === 'websocket.ping_timeout'));
  assert.match(evidenceOf(detail), /socket\.io server closed the connection with "ping timeout".*pingInterval 500 ms, pingTimeout 500 ms/);
  assert.equal(detail.cause?.remediation, CAUSES.server_heartbeat_timeout.remediation);
  assert.equal(await closesTotal(collector.url, { cause: 'server_heartbeat_timeout' }), 1);
});

test('socket.io middleware refusal: app_connect_rejected with its message, though the client closed cleanly', async (t) => {
  const { collector, app, client } = await scenario(t, { TOKEN: 'bad' });
  await client.waitForOutput('connect_error unauthorized');
  await app.process.waitForOutput('engine close transport close');
  const detail = await waitForOnlyClose(collector.url, 'both');
  assertJoined(detail);
  assert.equal(detail.outcome?.cause, 'app_connect_rejected');
  assert.equal(detail.server?.attributes['websocket.close.initiator'], 'client', 'the refused client closed the connection itself');
  assert.match(evidenceOf(detail), /CONNECT_ERROR "unauthorized"/);
  assert.equal(detail.outcome?.appReason, 'connect_error: unauthorized');
});

test('socket.io io.close(): server_shutdown, with "server shutting down"', async (t) => {
  const { collector, app, client } = await scenario(t, { EMIT: 'shut down' });
  await app.process.waitForOutput('disconnect server shutting down');
  await client.waitForOutput('disconnect transport close');
  const detail = await waitForOnlyClose(collector.url, 'both');
  assertJoined(detail);
  assert.equal(detail.outcome?.cause, 'server_shutdown');
  assert.equal(detail.server?.attributes['websocket.app.close_reason'], 'server shutting down');
  assert.match(evidenceOf(detail), /recorded a shutdown/);
  assert.match(evidenceOf(detail), /"server shutting down"/);
});

test('socket.io polling upgraded to websocket: one WebSocket record, the sid redacted on both sides', async (t) => {
  const { collector, app, client } = await scenario(t, { TRANSPORTS: 'polling,websocket', LEAVE: 'upgrade' });
  await client.waitForOutput('upgrade websocket');
  await app.process.waitForOutput('upgrade websocket');
  await client.waitForOutput('disconnect io client disconnect');
  const detail = await waitForOnlyClose(collector.url, 'both');
  assertJoined(detail);
  assert.equal(detail.outcome?.cause, 'normal_closure');
  for (const side of [detail.client, detail.server]) {
    const url = String(side?.attributes['url.full']);
    assert.match(url, /[?&]sid=REDACTED(&|$)/, url);
    assert.match(url, /transport=websocket/);
  }
  assert.equal(detail.server?.attributes['websocket.app.ping_interval_ms'], undefined, 'the open packet went over polling');
});

test('socket.io client killed (SIGKILL): the server alone saw the socket end, connection_lost with engine.io\'s "transport close"', async (t) => {
  const { collector, app, client } = await scenario(t, {}, {}, 2_000);
  await client.waitForOutput('connect websocket');
  client.kill('SIGKILL');
  await app.process.waitForOutput('disconnect transport close');
  const detail = await waitForOnlyClose(collector.url, 'server');
  assert.equal(detail.client, null);
  assert.equal(detail.outcome?.cause, 'connection_lost');
  assert.equal(detail.server?.attributes['websocket.app.close_reason'], 'transport close');
  assert.match(String(detail.server?.attributes['websocket.termination']), /socket_end|socket_error/);
  assert.match(evidenceOf(detail), /abrupt end/);
  assert.match(evidenceOf(detail), /socket\.io server reported "transport close"/);
});
