import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { startOtlpReceiver } from './otlp-receiver.js';

test('the OTLP receiver records each POST and answers 200 {}', async (t) => {
  const receiver = await startOtlpReceiver({ t });
  const payload = JSON.stringify({ resourceSpans: [] });
  const response = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {});
  const [request] = await receiver.waitForRequests(1);
  assert.equal(request.path, '/v1/traces');
  assert.equal(request.headers['content-type'], 'application/json');
  assert.equal(request.body.toString(), payload);
});

test('the OTLP receiver gunzips bodies and answers protobuf with an empty message', async (t) => {
  const receiver = await startOtlpReceiver({ t });
  const raw = gzipSync(Buffer.from([1, 2, 3]));
  const response = await fetch(`${receiver.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
    body: raw,
  });
  assert.equal(response.status, 200);
  assert.equal((await response.arrayBuffer()).byteLength, 0);
  const [request] = await receiver.waitForRequests(1);
  assert.deepEqual([...request.body], [1, 2, 3]);
  assert.deepEqual(request.rawBody, raw);
});

test('the OTLP receiver answers CORS preflights without recording them', async (t) => {
  const receiver = await startOtlpReceiver({ t });
  const preflight = await fetch(`${receiver.url}/v1/traces`, { method: 'OPTIONS' });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  assert.equal(receiver.requests.length, 0);
});

test('the OTLP receiver can answer 429 with Retry-After, still recording the request, then accept again', async (t) => {
  const receiver = await startOtlpReceiver({ t, respond: (_request, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : undefined) });
  const post = () => fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const throttled = await post();
  assert.equal(throttled.status, 429);
  assert.equal(throttled.headers.get('retry-after'), '1');
  assert.equal((await post()).status, 200);
  receiver.respondWith(() => ({ status: 503 }));
  assert.equal((await post()).status, 503);
  assert.equal(receiver.requests.length, 3);
});
