import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { test } from 'node:test';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_STATUS,
  ATTR_OPENED,
  ATTR_PHASE,
  ATTR_ROUTE,
  ATTR_TERMINATION,
  ATTR_URL_FULL,
  SPAN_NAME_CONNECTION,
} from '@closewatch/conventions';
import { startWsServer } from '@closewatch/test/harness';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import WebSocket from 'ws';
import { rawUpgrade, upgradeRequest } from './raw-upgrade.js';
import { captureSpans } from './span-capture.js';

/** Connects a ws client and resolves with how the handshake failed (the client sees only the status). */
function expectRejected(url: string, protocols?: string[]): Promise<string> {
  return new Promise((resolve) => {
    const client = new WebSocket(url, protocols);
    client.on('error', (error) => resolve(error.message));
    client.on('open', () => resolve('opened'));
  });
}

function assertRejected(span: ReadableSpan, status: number): void {
  assert.equal(span.name, SPAN_NAME_CONNECTION);
  assert.equal(span.kind, SpanKind.SERVER);
  assert.equal(span.attributes[ATTR_HTTP_STATUS], status);
  assert.equal(span.attributes[ATTR_ERROR_TYPE], `http_${status}`);
  assert.equal(span.attributes[ATTR_PHASE], 'handshake');
  assert.equal(span.attributes[ATTR_TERMINATION], 'abort_handshake');
  assert.equal(span.attributes[ATTR_OPENED], false);
}

test('a sync verifyClient rejection is a server span with status 401', async (t) => {
  const capture = captureSpans(t);
  const server = await startWsServer({ t, verifyClient: () => false });
  assert.equal(await expectRejected(`${server.url}/rooms/42`), 'Unexpected server response: 401');
  const span = await capture.spanOfKind(SpanKind.SERVER);
  assertRejected(span, 401);
  assert.equal(span.attributes[ATTR_ROUTE], '/rooms/:id');
});

test('an upgrade request to a plain HTTP server (no upgrade listener) answered 200 is a failed handshake with status 200', async (t) => {
  const capture = captureSpans(t);
  const plain = createServer((_req, res) => res.end('<!doctype html><title>a page</title>'));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => plain.close(() => resolve())));
  const { port } = plain.address() as AddressInfo;
  assert.equal(await expectRejected(`ws://127.0.0.1:${port}/api/status`), 'Unexpected server response: 200');
  const span = await capture.spanOfKind(SpanKind.SERVER);
  assert.equal(span.attributes[ATTR_HTTP_STATUS], 200);
  assert.equal(span.attributes[ATTR_PHASE], 'handshake');
  assert.equal(span.attributes[ATTR_OPENED], false);
  assert.equal(span.attributes[ATTR_ROUTE], '/api/status');
  const response = await fetch(`http://127.0.0.1:${port}/plain`);
  assert.equal(await response.text(), '<!doctype html><title>a page</title>', 'plain requests are answered as before');
  plain.closeAllConnections();
});

test('an async verifyClient rejection keeps the status it chose (403)', async (t) => {
  const capture = captureSpans(t);
  const server = await startWsServer({
    t,
    verifyClient: (_info: unknown, done: (ok: boolean, code?: number) => void) => setImmediate(done, false, 403),
  });
  assert.equal(await expectRejected(server.url), 'Unexpected server response: 403');
  assertRejected(await capture.spanOfKind(SpanKind.SERVER), 403);
});

test('handshake requests ws itself refuses: bad key 400, bad version 400, bad method 405', async (t) => {
  const capture = captureSpans(t);
  const server = await startWsServer({ t });
  const cases: [string, number][] = [
    [upgradeRequest('/', { 'Sec-WebSocket-Key': 'short' }), 400],
    [upgradeRequest('/', { 'Sec-WebSocket-Version': '99' }), 400],
    [upgradeRequest('/', {}, 'POST'), 405],
  ];
  for (const [request, status] of cases) {
    assert.equal((await rawUpgrade(server.port, request)).status, status);
  }
  const spans = await capture.spans(cases.length);
  assert.deepEqual(spans.map((span) => span.attributes[ATTR_HTTP_STATUS]).sort(), [400, 400, 405]);
  for (const span of spans) assert.equal(span.attributes[ATTR_TERMINATION], 'abort_handshake');
});

test('an upgrade to a path the server does not serve is a 400 span', async (t) => {
  const capture = captureSpans(t);
  const server = await startWsServer({ t, path: '/live' });
  assert.equal(await expectRejected(`${server.url}/elsewhere`), 'Unexpected server response: 400');
  assertRejected(await capture.spanOfKind(SpanKind.SERVER), 400);
});

test('wsClientError: the status the app writes is recorded, with the ws error as an event', async (t) => {
  const capture = captureSpans(t);
  const server = await startWsServer({
    t,
    setup(wss) {
      wss.on('wsClientError', (_error: Error, socket: Duplex) => {
        socket.end("HTTP/1.1 418 I'm a teapot\r\nConnection: close\r\n\r\n");
      });
    },
  });
  assert.equal((await rawUpgrade(server.port, upgradeRequest('/', { 'Sec-WebSocket-Key': 'bad' }))).status, 418);
  const span = await capture.spanOfKind(SpanKind.SERVER);
  assertRejected(span, 418);
  assert.ok(span.events.some((event) => event.name === 'websocket.error'));
});

test('a noServer app that writes HTTP/1.1 401 itself in its upgrade listener', async (t) => {
  const capture = captureSpans(t);
  const server = await startWsServer({
    t,
    noServer: true,
    setup(wss, httpServer) {
      httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (!req.headers.authorization) {
          socket.write('HTTP/1.1 401 Unauthorized\r\n\r\n');
          socket.destroy();
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      });
    },
  });
  assert.equal(await expectRejected(`${server.url}/feed?token=s3cret`), 'Unexpected server response: 401');
  const span = await capture.spanOfKind(SpanKind.SERVER);
  assertRejected(span, 401);
  assert.equal(span.attributes[ATTR_URL_FULL], `ws://127.0.0.1:${server.port}/feed?token=REDACTED`);
});

test('handleProtocols returning false: opened on the server, no subprotocol, the client gives up', async (t) => {
  const capture = captureSpans(t);
  const server = await startWsServer({ t, handleProtocols: () => false });
  assert.equal(await expectRejected(server.url, ['chat.v2']), 'Server sent no subprotocol');
  const span = await capture.spanOfKind(SpanKind.SERVER);
  assert.equal(span.attributes['websocket.subprotocol'], '');
  assert.deepEqual(span.attributes['websocket.subprotocols.requested'], ['chat.v2']);
  assert.equal(span.attributes[ATTR_PHASE], 'handshake');
  assert.equal(span.attributes['websocket.cause.hint'], 'handshake_subprotocol_mismatch');
});
