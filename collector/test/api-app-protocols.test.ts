import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ClosePageResponse, ConnectionDetail, SummaryResponse } from '@closewatch/conventions';
import { makeTempDir, type TempDir } from '@closewatch/test/harness';
import { APP_PROTOCOL_SEED, seedConnections, seedId, STANDARD_SEED, startTestCollector, type TestCollector } from './api-fixtures.js';
import { fetchJson, type ErrorBody, type JsonAnswer } from './support/json-answer.js';

let dir: TempDir;
let collector: TestCollector;

/** GET a path of the collector under test, its JSON body as `T`. */
function getJson<T>(path: string): Promise<JsonAnswer<T>> {
  return fetchJson<T>(`${collector.url}${path}`);
}

before(async () => {
  dir = makeTempDir('api-app-protocols');
  collector = await startTestCollector(dir.path);
  await seedConnections(collector.store, [...APP_PROTOCOL_SEED, ...STANDARD_SEED]);
});

after(async () => {
  await collector?.close();
  await dir?.remove();
});

test('closes carry the app protocol and its reason; app= and app_reason= filter list and summary alike', async () => {
  const socketIo = await getJson<ClosePageResponse>('/api/v1/closes?app=socket.io');
  assert.deepEqual(
    socketIo.body.items.map((item) => [item.appProtocol, item.appReason]),
    [
      ['socket.io', 'ping timeout'],
      ['socket.io', 'connect_error: unauthorized'],
    ],
  );
  const refused = await getJson<SummaryResponse>(`/api/v1/summary?app_reason=${encodeURIComponent('connect_error: unauthorized')}`);
  assert.equal(refused.body.total, 1);
  assert.equal(refused.body.byCause[0].cause, 'app_connect_rejected');
  const graphql = await getJson<ClosePageResponse>('/api/v1/closes?app=graphql-ws');
  assert.deepEqual(
    graphql.body.items.map((item) => item.id),
    [seedId(2)],
  );
  const plain = await getJson<ClosePageResponse>('/api/v1/closes');
  assert.ok(
    plain.body.items.some((item) => item.appProtocol === null && item.appReason === null),
    'plain WebSocket rows have neither',
  );
});

test('an unknown app protocol is a 400 naming it', async () => {
  const { status, body } = await getJson<ErrorBody>('/api/v1/closes?app=signalr');
  assert.equal(status, 400);
  assert.equal(body.error.code, 'invalid_filter');
  assert.match(body.error.message, /app="signalr".*socket\.io, engine\.io, graphql-ws/);
});

test("closes/:id explains a graphql-ws close code in the protocol's own terms", async () => {
  const { body } = await getJson<ConnectionDetail>(`/api/v1/closes/${seedId(2)}`);
  assert.equal(body.closeCode?.code, 4401);
  assert.equal(body.closeCode.name, 'Application');
  assert.ok(body.appCloseCode);
  assert.deepEqual(
    { protocol: body.appCloseCode.protocol, code: body.appCloseCode.code, name: body.appCloseCode.name, cause: body.appCloseCode.cause },
    { protocol: 'graphql-ws', code: 4401, name: 'Unauthorized', cause: 'app_connect_rejected' },
  );
  const socketIo = await getJson<ConnectionDetail>(`/api/v1/closes/${seedId(0)}`);
  assert.equal(socketIo.body.appCloseCode, null);
  assert.equal(socketIo.body.outcome?.appReason, 'ping timeout');
});
