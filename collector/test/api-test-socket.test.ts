import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { formatTraceparent, randomSpanId, randomTraceId } from '@closewatch/conventions';
import { makeTempDir, waitFor } from '@closewatch/test/harness';
import { attachTestSocket, TEST_SOCKET_PATH, TEST_SOCKET_SERVICE } from '../src/api/test-socket.js';
import { startTestCollector } from './api-fixtures.js';

test('the Setup test socket echoes, reports its own server side through ingest, and 404s other upgrade paths', async (t) => {
  const dir = makeTempDir('api-test-socket');
  const collector = await startTestCollector(dir.path);
  const detach = attachTestSocket(collector.server);
  t.after(async () => {
    detach();
    await collector.close();
    await dir.remove();
  });
  const wsBase = collector.url.replace('http:', 'ws:');
  const traceId = randomTraceId();
  const clientSpanId = randomSpanId();

  // The browser agent appends its correlation parameter; the path still matches.
  const socket = new WebSocket(`${wsBase}${TEST_SOCKET_PATH}?__cw=${formatTraceparent({ traceId, spanId: clientSpanId, sampled: true })}`);
  await once(socket, 'open');
  socket.send('hello');
  const [data] = (await once(socket, 'message')) as [Buffer];
  assert.equal(data.toString(), 'hello');
  socket.close(1000, 'done');
  const [code] = (await once(socket, 'close')) as [number];
  assert.equal(code, 1000);

  const record = await waitFor(async () => (await collector.store.getConnection(`${traceId}-${clientSpanId}`))?.server, { timeoutMs: 10_000 });
  assert.equal(record.service, TEST_SOCKET_SERVICE);
  assert.equal(record.parentSpanId, clientSpanId);
  assert.equal(record.attributes['websocket.close.code'], 1000);
  assert.equal(record.attributes['websocket.close.reason'], 'done');
  assert.equal(record.attributes['websocket.close.initiator'], 'client');
  assert.equal(record.attributes['websocket.messages.received'], 1);
  assert.equal(record.attributes['websocket.route'], TEST_SOCKET_PATH);
  assert.equal(record.attributes['url.full'], TEST_SOCKET_PATH, 'the correlation parameter is not recorded');

  const other = new WebSocket(`${wsBase}/elsewhere`);
  other.on('error', () => undefined);
  const [, response] = (await once(other, 'unexpected-response')) as [unknown, { statusCode: number }];
  assert.equal(response.statusCode, 404);
  other.terminate();
});
