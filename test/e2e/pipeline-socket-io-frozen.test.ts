import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CloseDetail } from './support/collector-api.js';
import { startPipelineCollector } from './support/pipeline-collector.js';
import { startSocketIoApp, startSocketIoClient, waitForOnlyClose } from './support/socket-io-apps.js';

/** ws waits 30 s for the peer's close frame (CLOSE_TIMEOUT) before it destroys the socket. */
const WS_CLOSE_TIMEOUT_MS = 30_000;
const FAST_HEARTBEAT = { PING_INTERVAL_MS: '500', PING_TIMEOUT_MS: '500' };
/** The frozen side is thawed only after ws gave up on the closing handshake, as in the field (SIGSTOP for 35-40 s). */
const THAW_WAIT_MS = WS_CLOSE_TIMEOUT_MS + 20_000;

const evidenceOf = (detail: CloseDetail) => detail.outcome?.evidence.join('\n') ?? '';

// The two freezes take over 30 s each: they run side by side.
describe("socket.io with a frozen process (SIGSTOP past ws's 30 s closing timeout)", { concurrency: 2 }, () => {
  test('the client froze: the server timed it out and waited 30 s for a close reply; server_heartbeat_timeout, not close_handshake_timeout', async (t) => {
    const collector = await startPipelineCollector(t, { joinWindowMs: 20_000 });
    const app = await startSocketIoApp(t, collector.url, FAST_HEARTBEAT);
    const client = startSocketIoClient(t, collector.url, app.url);
    await client.waitForOutput('connect websocket', 20_000);
    client.kill('SIGSTOP');
    await app.process.waitForOutput('disconnect ping timeout', 20_000);
    await app.process.waitForOutput('ws close 1006', THAW_WAIT_MS);
    client.kill('SIGCONT');
    const detail = await waitForOnlyClose(collector.url, 'both', 40_000);
    assert.equal(detail.server?.attributes['websocket.phase'], 'closing', 'the server sent its close frame and never got the reply');
    assert.equal(detail.server?.attributes['websocket.close.code'], 1006);
    assert.equal(detail.server?.attributes['websocket.app.close_reason'], 'ping timeout');
    assert.equal(detail.outcome?.cause, 'server_heartbeat_timeout');
    assert.match(evidenceOf(detail), /socket\.io server closed the connection with "ping timeout"/);
  });

  test('the server froze: the client gave up on its pings; client_heartbeat_timeout, and the server knows it stalled', async (t) => {
    const collector = await startPipelineCollector(t, { joinWindowMs: 20_000 });
    const app = await startSocketIoApp(t, collector.url, FAST_HEARTBEAT);
    const client = startSocketIoClient(t, collector.url, app.url);
    await client.waitForOutput('connect websocket', 20_000);
    app.process.kill('SIGSTOP');
    await client.waitForOutput('disconnect ping timeout', 20_000);
    await client.waitForOutput('ws close 1006', THAW_WAIT_MS);
    app.process.kill('SIGCONT');
    const detail = await waitForOnlyClose(collector.url, 'both', 40_000);
    assert.equal(detail.client?.attributes['websocket.app.close_reason'], 'ping timeout');
    assert.equal(detail.client?.attributes['websocket.cause.hint'], 'client_heartbeat_timeout');
    assert.equal(detail.client?.attributes['websocket.phase'], 'closing', 'the client waited 30 s for the frozen server');
    assert.ok(
      Number(detail.server?.attributes['websocket.event_loop_stall_ms']) >= WS_CLOSE_TIMEOUT_MS,
      `stall ${String(detail.server?.attributes['websocket.event_loop_stall_ms'])}`,
    );
    assert.equal(detail.outcome?.cause, 'client_heartbeat_timeout');
    assert.match(evidenceOf(detail), /socket\.io client closed the connection with "ping timeout": no ping from the server/);
  });
});
