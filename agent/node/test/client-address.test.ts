// `client.address` of a server span: the client behind the proxies when a proxy says who it is
// (X-Forwarded-For, else Forwarded), the socket's peer otherwise; the socket is then not asked.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { ATTR_CLIENT_ADDRESS } from '@closewatch/conventions';
import { startWsServer } from '@closewatch/test/harness';
import { SpanKind } from '@opentelemetry/api';
import WebSocket from 'ws';
import { forwardedClientAddress } from '../src/server-connection.js';
import { captureSpans } from './span-capture.js';

async function serverSpanFor(t: import('node:test').TestContext, headers: Record<string, string>): Promise<Record<string, unknown>> {
  const capture = captureSpans(t);
  const server = await startWsServer({ t, onConnection: (ws) => ws.close(1000) });
  const client = new WebSocket(server.url, { headers });
  client.on('error', () => undefined);
  await new Promise((resolve) => client.once('close', resolve));
  return (await capture.spanOfKind(SpanKind.SERVER)).attributes;
}

test('client.address is the first X-Forwarded-For entry when a proxy sent one', async (t) => {
  const attributes = await serverSpanFor(t, { 'x-forwarded-for': '203.0.113.7, 10.0.0.2' });
  assert.equal(attributes[ATTR_CLIENT_ADDRESS], '203.0.113.7');
});

test('client.address is the socket peer without forwarding headers', async (t) => {
  const attributes = await serverSpanFor(t, {});
  assert.equal(attributes[ATTR_CLIENT_ADDRESS], '127.0.0.1');
});

test('forwarded client addresses: X-Forwarded-For first, then Forwarded for= (RFC 7239)', () => {
  const of = (headers: IncomingMessage['headers']) => forwardedClientAddress(headers);
  assert.equal(of({ 'x-forwarded-for': ' 198.51.100.4 ' }), '198.51.100.4');
  assert.equal(of({ 'x-forwarded-for': '2001:db8::1, 10.0.0.1' }), '2001:db8::1');
  assert.equal(of({ 'x-forwarded-for': '', forwarded: 'for=192.0.2.43' }), '192.0.2.43');
  assert.equal(of({ forwarded: 'proto=https;for="192.0.2.60:47011";by=203.0.113.43' }), '192.0.2.60');
  assert.equal(of({ forwarded: 'For="[2001:db8:cafe::17]:4711"' }), '2001:db8:cafe::17');
  assert.equal(of({ forwarded: 'for=_hidden, for=198.51.100.17' }), '_hidden');
  assert.equal(of({ forwarded: 'by=203.0.113.43' }), undefined);
  assert.equal(of({}), undefined);
});
