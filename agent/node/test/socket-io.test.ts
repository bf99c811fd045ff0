import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import {
  ATTR_APP_CLOSE_REASON,
  ATTR_APP_CONNECT_ERROR,
  ATTR_APP_PING_INTERVAL_MS,
  ATTR_APP_PING_TIMEOUT_MS,
  ATTR_APP_PROTOCOL,
  ATTR_CAUSE_HINT,
  ATTR_CLOSE_CODE,
  ATTR_CLOSE_INITIATOR,
  ATTR_URL_FULL,
  EVENT_PING_TIMEOUT,
} from '@closewatch/conventions';
import { waitFor } from '@closewatch/test/harness';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Server, type ServerOptions } from 'socket.io';
import { io as connect, type ManagerOptions, type Socket as ClientSocket, type SocketOptions } from 'socket.io-client';
import WebSocket, { WebSocketServer } from 'ws';
import { captureSpans, type SpanCapture } from './span-capture.js';

/** A socket.io 4 server on loopback, closed after the test. */
async function startSocketIo(t: TestContext, options: Partial<ServerOptions> = {}): Promise<{ io: Server; url: string }> {
  const http = createServer();
  const io = new Server(http, { pingInterval: 300, pingTimeout: 200, ...options });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => void io.close(() => resolve())));
  return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

function client(t: TestContext, url: string, options: Partial<ManagerOptions & SocketOptions> = {}): ClientSocket {
  const socket = connect(url, { transports: ['websocket'], reconnection: false, ...options });
  t.after(() => socket.close());
  return socket;
}

const connected = (socket: ClientSocket) => new Promise<void>((resolve) => socket.once('connect', () => resolve()));
const disconnected = (socket: ClientSocket) => new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

/** The SERVER and CLIENT spans of the one WebSocket connection. */
async function bothSpans(capture: SpanCapture): Promise<{ server: ReadableSpan; client: ReadableSpan }> {
  const spans = await capture.spans(2);
  const server = spans.find((span) => span.kind === SpanKind.SERVER);
  const clientSpan = spans.find((span) => span.kind === SpanKind.CLIENT);
  assert.ok(server && clientSpan, 'a server and a client span');
  return { server, client: clientSpan };
}

test('socket.io: a client that leaves with disconnect(): both sides name socket.io and its reason', async (t) => {
  const capture = captureSpans(t);
  const { url } = await startSocketIo(t);
  const socket = client(t, url);
  await connected(socket);
  const reason = disconnected(socket);
  socket.disconnect();
  assert.equal(await reason, 'io client disconnect');
  const { server, client: clientSpan } = await bothSpans(capture);
  assert.equal(server.attributes[ATTR_APP_PROTOCOL], 'socket.io');
  assert.equal(server.attributes[ATTR_APP_CLOSE_REASON], 'client namespace disconnect');
  assert.equal(server.attributes[ATTR_APP_PING_INTERVAL_MS], 300, "engine.io's open packet");
  assert.equal(server.attributes[ATTR_APP_PING_TIMEOUT_MS], 200);
  assert.equal(server.attributes[ATTR_CLOSE_CODE], 1005);
  assert.equal(clientSpan.attributes[ATTR_APP_PROTOCOL], 'socket.io');
  assert.equal(clientSpan.attributes[ATTR_APP_CLOSE_REASON], 'io client disconnect');
  assert.equal(clientSpan.attributes[ATTR_CLOSE_INITIATOR], 'client');
  assert.equal(server.attributes[ATTR_CAUSE_HINT], undefined);
});

test('socket.io: a kick with socket.disconnect(true) is the server namespace disconnect on both sides', async (t) => {
  const capture = captureSpans(t);
  const { io, url } = await startSocketIo(t);
  io.on('connection', (serverSocket) => setTimeout(() => serverSocket.disconnect(true), 20));
  const socket = client(t, url);
  const reason = disconnected(socket);
  assert.equal(await reason, 'io server disconnect');
  const { server, client: clientSpan } = await bothSpans(capture);
  assert.equal(server.attributes[ATTR_APP_CLOSE_REASON], 'server namespace disconnect');
  assert.equal(clientSpan.attributes[ATTR_APP_CLOSE_REASON], 'io server disconnect');
});

test('socket.io: a middleware refusal records its CONNECT_ERROR message on both sides', async (t) => {
  const capture = captureSpans(t);
  const { io, url } = await startSocketIo(t);
  io.use((_socket, next) => next(new Error('unauthorized')));
  const socket = client(t, url);
  const refused = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
  assert.equal(refused.message, 'unauthorized');
  const { server, client: clientSpan } = await bothSpans(capture);
  for (const span of [server, clientSpan]) {
    assert.equal(span.attributes[ATTR_APP_CONNECT_ERROR], 'unauthorized');
    assert.equal(span.attributes[ATTR_CAUSE_HINT], 'app_connect_rejected');
  }
  assert.equal(server.attributes[ATTR_APP_CLOSE_REASON], 'transport close', 'the refused client closed the connection itself');
  assert.equal(clientSpan.attributes[ATTR_APP_CLOSE_REASON], undefined, 'a refused client has no disconnect reason');
});

test('socket.io: a CONNECT_ERROR message longer than the cap is cut on a whole code point, never half an emoji', async (t) => {
  const capture = captureSpans(t);
  const { io, url } = await startSocketIo(t);
  const message = `${'a'.repeat(255)}\u{1F512} locked`;
  io.use((_socket, next) => next(new Error(message)));
  const socket = client(t, url);
  const refused = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
  assert.equal(refused.message, message);
  const { server, client: clientSpan } = await bothSpans(capture);
  for (const span of [server, clientSpan]) {
    const recorded = span.attributes[ATTR_APP_CONNECT_ERROR] as string;
    assert.equal(recorded, 'a'.repeat(255), 'the emoji at the cut is left out whole');
    assert.doesNotMatch(recorded, /[\uD800-\uDFFF]/, 'no lone surrogate');
  }
});

test('socket.io: io.close() is a shutdown: "server shutting down" on the server, "transport close" on the client', async (t) => {
  const capture = captureSpans(t);
  const { io, url } = await startSocketIo(t);
  const socket = client(t, url);
  await connected(socket);
  const reason = disconnected(socket);
  await io.close();
  assert.equal(await reason, 'transport close');
  const { server, client: clientSpan } = await bothSpans(capture);
  assert.equal(server.attributes[ATTR_APP_CLOSE_REASON], 'server shutting down');
  assert.equal(server.attributes[ATTR_CAUSE_HINT], 'server_shutdown');
  assert.equal(clientSpan.attributes[ATTR_APP_CLOSE_REASON], 'transport close');
});

test('socket.io: a client that stops answering pings is timed out by the server, as engine.io reports it', async (t) => {
  const capture = captureSpans(t);
  const { io, url } = await startSocketIo(t);
  const serverReason = new Promise<string>((resolve) => io.on('connection', (serverSocket) => serverSocket.on('disconnect', resolve)));
  const socket = client(t, url);
  await connected(socket);
  const engine = socket.io.engine as unknown as { _sendPacket: (this: unknown, type: string, ...rest: unknown[]) => void };
  const sendPacket = engine._sendPacket;
  engine._sendPacket = function dropPongs(this: unknown, type: string, ...rest: unknown[]) {
    if (type !== 'pong') sendPacket.call(this, type, ...rest);
  };
  assert.equal(await serverReason, 'ping timeout');
  const { server, client: clientSpan } = await bothSpans(capture);
  assert.equal(server.attributes[ATTR_APP_CLOSE_REASON], 'ping timeout');
  assert.equal(server.attributes[ATTR_CAUSE_HINT], 'server_heartbeat_timeout');
  assert.ok(server.events.some((event) => event.name === EVENT_PING_TIMEOUT));
  assert.equal(clientSpan.attributes[ATTR_APP_CLOSE_REASON], 'transport close');
});

test('socket.io-client: a server that stops pinging is timed out by the client ("ping timeout")', async (t) => {
  const capture = captureSpans(t);
  // A server speaking just enough engine.io and socket.io to connect a real socket.io-client, then silent.
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  t.after(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ sid: 'engine-sid', upgrades: [], pingInterval: 150, pingTimeout: 150, maxPayload: 1e6 }).replace(/^/, '0'));
    ws.on('message', (data) => {
      if ((data as Buffer).toString() === '40') ws.send('40{"sid":"socket-sid"}');
    });
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  const socket = client(t, `http://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  await connected(socket);
  assert.equal(await disconnected(socket), 'ping timeout');
  const clientSpan = await capture.spanOfKind(SpanKind.CLIENT);
  assert.equal(clientSpan.attributes[ATTR_APP_CLOSE_REASON], 'ping timeout');
  assert.equal(clientSpan.attributes[ATTR_CAUSE_HINT], 'client_heartbeat_timeout');
  assert.equal(clientSpan.attributes[ATTR_CLOSE_INITIATOR], 'client');
});

test('engine.io: a frame it cannot decode closes the connection with "parse error"', async (t) => {
  const capture = captureSpans(t);
  const { io, url } = await startSocketIo(t);
  const engineReason = new Promise<string>((resolve) =>
    io.engine.on('connection', (connection: { on(event: 'close', listener: (reason: string) => void): void }) => connection.on('close', resolve)),
  );
  const raw = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  t.after(() => raw.terminate());
  await new Promise((resolve) => raw.once('message', resolve));
  raw.send('x-not-a-packet');
  assert.equal(await engineReason, 'parse error');
  const server = await capture.spanOfKind(SpanKind.SERVER);
  assert.equal(server.attributes[ATTR_APP_CLOSE_REASON], 'parse error');
});

test('socket.io: polling upgraded to websocket; the sid in the URL is redacted', async (t) => {
  const capture = captureSpans(t);
  const { url } = await startSocketIo(t);
  const socket = client(t, url, { transports: ['polling', 'websocket'] });
  await connected(socket);
  await waitFor(() => socket.io.engine.transport.name === 'websocket', { message: 'the upgrade to websocket' });
  socket.disconnect();
  const { server, client: clientSpan } = await bothSpans(capture);
  for (const span of [server, clientSpan]) {
    assert.match(String(span.attributes[ATTR_URL_FULL]), /[?&]sid=REDACTED(&|$)/);
    assert.equal(span.attributes[ATTR_APP_PROTOCOL], 'socket.io');
  }
  assert.equal(server.attributes[ATTR_APP_CLOSE_REASON], 'client namespace disconnect');
  assert.equal(clientSpan.attributes[ATTR_APP_CLOSE_REASON], 'io client disconnect');
  assert.equal(server.attributes[ATTR_APP_PING_INTERVAL_MS], undefined, 'the open packet went over polling');
});

test('a plain ws connection carries no app protocol attributes', async (t) => {
  const capture = captureSpans(t);
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  t.after(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  wss.on('connection', (ws) => ws.on('message', () => ws.close()));
  await new Promise((resolve) => wss.once('listening', resolve));
  const raw = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/socket.io/?transport=websocket`);
  await new Promise((resolve) => raw.once('open', resolve));
  raw.send('42["event"]');
  await new Promise((resolve) => raw.once('close', resolve));
  const spans = await capture.spans(2);
  for (const span of spans) {
    assert.equal(span.attributes[ATTR_APP_PROTOCOL], undefined);
    assert.equal(span.attributes[ATTR_APP_CLOSE_REASON], undefined);
  }
});
