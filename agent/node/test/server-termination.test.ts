import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { test } from 'node:test';
import {
  ATTR_BYTES_RECEIVED,
  ATTR_BYTES_SENT,
  ATTR_CAUSE_HINT,
  ATTR_CLIENT_ADDRESS,
  ATTR_CLOSE_CODE,
  ATTR_CLOSE_INITIATOR,
  ATTR_CLOSE_REASON,
  ATTR_CLOSE_WAS_CLEAN,
  ATTR_ERROR_TYPE,
  ATTR_MESSAGES_RECEIVED,
  ATTR_MESSAGES_SENT,
  ATTR_OPENED,
  ATTR_PHASE,
  ATTR_SUBPROTOCOL,
  ATTR_TERMINATION,
  EVENT_PING_TIMEOUT,
} from '@closewatch/conventions';
import { startWsServer, type WsServerHandle } from '@closewatch/test/harness';
import { SpanKind } from '@opentelemetry/api';
import WebSocket, { type WebSocket as ServerSocket } from 'ws';
import { captureSpans } from './span-capture.js';

type Options = Parameters<typeof startWsServer>[0];

/** A server whose `onServerSocket` runs for the one connection, and a client connected to it. */
async function openPair(t: import('node:test').TestContext, options: Options, protocols?: string[]) {
  let resolveServerSocket: (ws: ServerSocket) => void = () => undefined;
  const serverSocket = new Promise<ServerSocket>((resolve) => (resolveServerSocket = resolve));
  const server: WsServerHandle = await startWsServer({
    t,
    ...options,
    onConnection: (ws) => {
      ws.on('error', () => undefined);
      resolveServerSocket(ws);
    },
  });
  const client = new WebSocket(server.url, protocols);
  t.after(() => client.terminate());
  client.on('error', () => undefined);
  await new Promise((resolve, reject) => {
    client.once('open', resolve);
    client.once('error', reject);
  });
  return { server, client, serverWs: await serverSocket };
}

function clientClosed(client: WebSocket): Promise<[number, string]> {
  return new Promise((resolve) => client.once('close', (code, reason) => resolve([code, reason.toString()])));
}

test('a clean close started by the client: code, reason, initiator, counters', async (t) => {
  const capture = captureSpans(t);
  const { client, serverWs } = await openPair(t, {}, ['chat.v2']);
  serverWs.on('message', (data) => serverWs.send(data));
  const echoed = new Promise((resolve) => client.once('message', resolve));
  client.send('hello');
  await echoed;
  client.close(4001, 'bye now');
  await clientClosed(client);
  const span = await capture.spanOfKind(SpanKind.SERVER);
  assert.equal(span.attributes[ATTR_CLOSE_CODE], 4001);
  assert.equal(span.attributes[ATTR_CLOSE_REASON], 'bye now');
  assert.equal(span.attributes[ATTR_CLOSE_WAS_CLEAN], true);
  assert.equal(span.attributes[ATTR_CLOSE_INITIATOR], 'client');
  assert.equal(span.attributes[ATTR_TERMINATION], 'close');
  assert.equal(span.attributes[ATTR_OPENED], true);
  assert.equal(span.attributes[ATTR_PHASE], 'open');
  assert.equal(span.attributes[ATTR_SUBPROTOCOL], 'chat.v2');
  assert.equal(span.attributes[ATTR_MESSAGES_RECEIVED], 1);
  assert.equal(span.attributes[ATTR_MESSAGES_SENT], 1);
  assert.equal(span.attributes[ATTR_BYTES_RECEIVED], 5);
  assert.equal(span.attributes[ATTR_BYTES_SENT], 5);
  assert.equal(span.attributes[ATTR_CLIENT_ADDRESS], '127.0.0.1');
});

test('no subprotocol requested: the negotiated subprotocol is ""', async (t) => {
  const capture = captureSpans(t);
  const { client, serverWs } = await openPair(t, {});
  serverWs.close(1000);
  await clientClosed(client);
  const span = await capture.spanOfKind(SpanKind.SERVER);
  assert.equal(span.attributes[ATTR_SUBPROTOCOL], '');
  assert.equal(span.attributes[ATTR_CLOSE_INITIATOR], 'server');
  assert.equal(span.attributes[ATTR_CLOSE_CODE], 1000);
});

test('terminate(): termination=terminate, initiator server, 1006', async (t) => {
  const capture = captureSpans(t);
  const { client, serverWs } = await openPair(t, {});
  serverWs.terminate();
  assert.equal((await clientClosed(client))[0], 1006);
  const span = await capture.spanOfKind(SpanKind.SERVER);
  assert.equal(span.attributes[ATTR_TERMINATION], 'terminate');
  assert.equal(span.attributes[ATTR_CLOSE_INITIATOR], 'server');
  assert.equal(span.attributes[ATTR_CLOSE_CODE], 1006);
  assert.equal(span.attributes[ATTR_CAUSE_HINT], undefined);
});

test('the ws README heartbeat: terminate after an unanswered ping is server_heartbeat_timeout', async (t) => {
  const capture = captureSpans(t);
  const { client, serverWs } = await openPair(t, {});
  // The client stops answering pings, as a frozen browser tab would.
  (client as unknown as { _autoPong: boolean })._autoPong = false;
  let isAlive = true;
  serverWs.on('pong', () => (isAlive = true));
  function heartbeat(): void {
    if (!isAlive) {
      serverWs.terminate();
      return;
    }
    isAlive = false;
    serverWs.ping();
  }
  heartbeat();
  await new Promise((resolve) => setTimeout(resolve, 50));
  heartbeat();
  await clientClosed(client);
  const span = await capture.spanOfKind(SpanKind.SERVER);
  assert.equal(span.attributes[ATTR_TERMINATION], 'terminate');
  assert.equal(span.attributes[ATTR_CAUSE_HINT], 'server_heartbeat_timeout');
  assert.ok(span.events.some((event) => event.name === EVENT_PING_TIMEOUT));
});

test('a client socket destroyed with resetAndDestroy() is socket_error ECONNRESET', async (t) => {
  const capture = captureSpans(t);
  const { client, serverWs } = await openPair(t, {});
  const serverClosed = new Promise((resolve) => serverWs.once('close', resolve));
  // A pending write makes the server read the RST as ECONNRESET rather than a plain end.
  serverWs.send(Buffer.alloc(1024 * 1024));
  (client as unknown as { _socket: Socket })._socket.resetAndDestroy();
  await serverClosed;
  const span = await capture.spanOfKind(SpanKind.SERVER);
  assert.equal(span.attributes[ATTR_TERMINATION], 'socket_error');
  assert.equal(span.attributes[ATTR_ERROR_TYPE], 'ECONNRESET');
  assert.equal(span.attributes[ATTR_CLOSE_CODE], 1006);
  assert.equal(span.attributes[ATTR_CLOSE_INITIATOR], 'unknown');
});

test('a client that ends its TCP connection without a close frame is socket_end', async (t) => {
  const capture = captureSpans(t);
  const { client, serverWs } = await openPair(t, {});
  const serverClosed = new Promise((resolve) => serverWs.once('close', resolve));
  (client as unknown as { _socket: Socket })._socket.end();
  await serverClosed;
  const span = await capture.spanOfKind(SpanKind.SERVER);
  assert.equal(span.attributes[ATTR_TERMINATION], 'socket_end');
  assert.equal(span.attributes[ATTR_CLOSE_CODE], 1006);
  assert.equal(span.attributes[ATTR_CLOSE_WAS_CLEAN], false);
});

test('a message over maxPayload: WS_ERR_UNSUPPORTED_MESSAGE_LENGTH and a 1009 close frame', async (t) => {
  const capture = captureSpans(t);
  const { client } = await openPair(t, { maxPayload: 64 });
  client.send(Buffer.alloc(65));
  assert.equal((await clientClosed(client))[0], 1009);
  const span = await capture.spanOfKind(SpanKind.SERVER);
  assert.equal(span.attributes[ATTR_ERROR_TYPE], 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
  assert.equal(span.attributes[ATTR_CLOSE_INITIATOR], 'server');
  const sent = span.events.find((event) => event.name === 'websocket.close_sent');
  assert.equal(sent?.attributes?.[ATTR_CLOSE_CODE], 1009);
});
