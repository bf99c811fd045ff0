import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { test } from 'node:test';
import {
  ATTR_CLOSE_CODE,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_STATUS,
  ATTR_PHASE,
  ATTR_PROPAGATED,
  ATTR_URL_FULL,
  formatTraceparent,
  randomSpanId,
  randomTraceId,
} from '@closewatch/conventions';
import { startWsServer } from '@closewatch/test/harness';
import { SpanKind } from '@opentelemetry/api';
import WebSocket from 'ws';
import { captureSpans } from './span-capture.js';

function opened(client: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
  });
}

function closed(client: WebSocket): Promise<number> {
  return new Promise((resolve) => client.once('close', (code) => resolve(code)));
}

test('__cw is removed before verifyClient, upgrade listeners and the connection handler; the span is its child', async (t) => {
  const capture = captureSpans(t, { propagateFromClient: false });
  const seen: string[] = [];
  const server = await startWsServer({
    t,
    noServer: true,
    verifyClient: (info: { req: IncomingMessage }) => {
      seen.push(`verifyClient ${info.req.url}`);
      return true;
    },
    setup(wss, httpServer) {
      httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        seen.push(`upgrade ${req.url}`);
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      });
    },
    onConnection: (ws, req) => {
      seen.push(`connection ${req.url}`);
      ws.close(1000);
    },
  });
  const traceId = randomTraceId();
  const spanId = randomSpanId();
  const traceparent = formatTraceparent({ traceId, spanId, sampled: true });
  const client = new WebSocket(`${server.url}/rooms?x=1&__cw=${traceparent}&y=2`);
  assert.equal(await closed(client), 1000);
  assert.deepEqual(seen, ['upgrade /rooms?x=1&y=2', 'verifyClient /rooms?x=1&y=2', 'connection /rooms?x=1&y=2']);
  const span = await capture.spanOfKind(SpanKind.SERVER);
  assert.equal(span.spanContext().traceId, traceId);
  assert.equal(span.parentSpanContext?.spanId, spanId);
  assert.equal(span.attributes[ATTR_URL_FULL], `ws://127.0.0.1:${server.port}/rooms?x=1&y=2`);
});

test('the Node client injects traceparent: the server span is the child of the client span', async (t) => {
  const capture = captureSpans(t);
  const server = await startWsServer({ t, onConnection: (ws) => ws.close(4000, 'done') });
  const client = new WebSocket(`${server.url}/feed`);
  await opened(client);
  assert.equal(await closed(client), 4000);
  const clientSpan = await capture.spanOfKind(SpanKind.CLIENT);
  const serverSpan = await capture.spanOfKind(SpanKind.SERVER);
  assert.equal(clientSpan.attributes[ATTR_PROPAGATED], true);
  assert.equal(clientSpan.attributes[ATTR_CLOSE_CODE], 4000);
  assert.equal(serverSpan.spanContext().traceId, clientSpan.spanContext().traceId);
  assert.equal(serverSpan.parentSpanContext?.spanId, clientSpan.spanContext().spanId);
  assert.equal(clientSpan.instrumentationScope.name, '@closewatch/agent-node');
});

test('a traceparent header from a non-browser client parents the server span', async (t) => {
  const capture = captureSpans(t, { propagateFromClient: false });
  const server = await startWsServer({ t, onConnection: (ws) => ws.close(1000) });
  const traceId = randomTraceId();
  const spanId = randomSpanId();
  const client = new WebSocket(server.url, { headers: { traceparent: formatTraceparent({ traceId, spanId, sampled: true }) } });
  await closed(client);
  const span = await capture.spanOfKind(SpanKind.SERVER);
  assert.equal(span.spanContext().traceId, traceId);
  assert.equal(span.parentSpanContext?.spanId, spanId);
});

test('the Node client sees a rejected upgrade: status 401 and error.type http_401 on the client span', async (t) => {
  const capture = captureSpans(t);
  const server = await startWsServer({ t, verifyClient: () => false });
  const client = new WebSocket(server.url);
  const error = await new Promise<Error>((resolve) => client.once('error', resolve));
  assert.equal(error.message, 'Unexpected server response: 401');
  const span = await capture.spanOfKind(SpanKind.CLIENT);
  assert.equal(span.attributes[ATTR_HTTP_STATUS], 401);
  assert.equal(span.attributes[ATTR_ERROR_TYPE], 'http_401');
  assert.equal(span.attributes[ATTR_PHASE], 'handshake');
  assert.equal(span.attributes[ATTR_CLOSE_CODE], 1006);
});

test('a refused TCP connection: the client span carries the errno', async (t) => {
  const capture = captureSpans(t);
  const server = await startWsServer({ t });
  const port = server.port;
  await server.close();
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise((resolve) => client.once('error', resolve));
  const span = await capture.spanOfKind(SpanKind.CLIENT);
  assert.equal(span.attributes[ATTR_ERROR_TYPE], 'ECONNREFUSED');
});
