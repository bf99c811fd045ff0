import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ATTR_CAUSE_HINT, ATTR_CLOSE_CODE, ATTR_CLOSE_REASON, CLOSE_DETAIL_MESSAGE_TYPE } from '@closewatch/conventions';
import { startWsServer } from '@closewatch/test/harness';
import { SpanKind } from '@opentelemetry/api';
import WebSocket from 'ws';
import { closeWithDetail, shutdownGracefully } from '../src/index.js';
import { captureSpans } from './span-capture.js';

test('closeWithDetail sends the detail as a message, closes with a truncated reason, records the full detail', async (t) => {
  const capture = captureSpans(t);
  const detail = `session expired: ${'x'.repeat(200)}`;
  const server = await startWsServer({ t, onConnection: (ws) => closeWithDetail(ws, 4401, detail) });
  const client = new WebSocket(server.url);
  const messages: unknown[] = [];
  client.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString())));
  const [code, reason] = await new Promise<[number, string]>((resolve) => client.once('close', (c, r) => resolve([c, r.toString()])));
  assert.equal(code, 4401);
  assert.equal(Buffer.byteLength(reason), 123);
  assert.ok(detail.startsWith(reason));
  assert.deepEqual(messages, [{ type: CLOSE_DETAIL_MESSAGE_TYPE, code: 4401, detail }]);
  const span = await capture.spanOfKind(SpanKind.SERVER);
  assert.equal(span.attributes['websocket.close.detail'], detail);
  assert.equal(span.attributes[ATTR_CLOSE_CODE], 4401);
});

test('closeWithDetail with a code ws refuses (1006) closes with 1011 instead of throwing', async (t) => {
  captureSpans(t);
  const server = await startWsServer({ t, onConnection: (ws) => closeWithDetail(ws, 1006, 'gone') });
  const client = new WebSocket(server.url);
  const code = await new Promise<number>((resolve) => client.once('close', (c) => resolve(c)));
  assert.equal(code, 1011);
});

test('shutdownGracefully closes every server connection with 1012 and reports them', async (t) => {
  const capture = captureSpans(t);
  const server = await startWsServer({ t });
  const clients = [new WebSocket(server.url), new WebSocket(server.url)];
  await Promise.all(clients.map((client) => new Promise((resolve) => client.once('open', resolve))));
  const codes = Promise.all(clients.map((client) => new Promise<number>((resolve) => client.once('close', (c) => resolve(c)))));
  const result = await shutdownGracefully({ timeoutMs: 2000 });
  assert.deepEqual(result, { closed: 2, terminated: 0 });
  assert.deepEqual(await codes, [1012, 1012]);
  const spans = (await capture.spans(4)).filter((span) => span.kind === SpanKind.SERVER);
  assert.equal(spans.length, 2);
  for (const span of spans) {
    assert.equal(span.attributes[ATTR_CLOSE_CODE], 1012);
    assert.equal(span.attributes[ATTR_CAUSE_HINT], 'server_shutdown');
    assert.equal(span.attributes['websocket.close.initiator'], 'server');
    assert.equal(span.attributes[ATTR_CLOSE_REASON], 'server restart');
  }
});
