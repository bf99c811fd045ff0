import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePort, makeTempDir, postgresUrl, tempDatabaseOrSkip, waitFor } from '@closewatch/test/harness';
import { openStore } from '../src/store/open-store.js';
import { startCollectorProcess } from './support/collector-process.js';
import { clientSpan, otlpProtobufBody, serverSpanFor, type SpanSpec } from './support/otlp-fixtures.js';
import { startTcpProxy } from './support/tcp-proxy.js';
import { startTestCollector } from './support/test-collector.js';

/** 50 joined connections and 50 sides still waiting for their peer, in one protobuf batch. */
function batch(): { spans: SpanSpec[]; joined: string[]; waiting: string[] } {
  const spans: SpanSpec[] = [];
  const joined: string[] = [];
  const waiting: string[] = [];
  for (let i = 0; i < 50; i++) {
    const client = clientSpan();
    spans.push(client, serverSpanFor(client));
    joined.push(`${client.traceId}-${client.spanId}`);
    const lone = clientSpan();
    spans.push(lone);
    waiting.push(`${lone.traceId}-${lone.spanId}`);
  }
  return { spans, joined, waiting };
}

async function killRightAfterAck(storeArgs: string[], t: { after(fn: () => unknown): void }): Promise<ReturnType<typeof batch>> {
  const port = await freePort();
  const child = await startCollectorProcess(['--port', String(port), ...storeArgs], t);
  const sent = batch();
  const response = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
    method: 'POST',
    body: otlpProtobufBody(sent.spans),
    headers: { 'content-type': 'application/x-protobuf' },
  });
  assert.equal(response.status, 200);
  child.kill('SIGKILL');
  assert.equal((await child.exited).signal, 'SIGKILL');
  return sent;
}

async function assertNothingLost(config: { dataDir: string; databaseUrl: string | null }, sent: ReturnType<typeof batch>): Promise<void> {
  const store = await openStore(config);
  try {
    for (const id of sent.joined) {
      const record = await store.getConnection(id);
      assert.equal(record?.final, true, `joined connection ${id} survived as final`);
      assert.ok(record.client && record.server);
    }
    for (const id of sent.waiting) {
      const record = await store.getConnection(id);
      assert.ok(record?.client, `waiting side ${id} survived`);
      assert.equal(record.final, false);
    }
  } finally {
    await store.close();
  }
}

async function assertRestarts(storeArgs: string[], t: { after(fn: () => unknown): void }): Promise<void> {
  const port = await freePort();
  const child = await startCollectorProcess(['--port', String(port), ...storeArgs], t);
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  assert.equal(ready.status, 200);
  child.kill('SIGTERM');
  assert.equal((await child.exited).code, 0);
}

describe('durability', () => {
  it('loses nothing acknowledged when killed with SIGKILL (DuckDB)', async (t) => {
    const dir = makeTempDir('durability');
    t.after(() => dir.remove());
    const dataDir = join(dir.path, 'data');
    const sent = await killRightAfterAck(['--data-dir', dataDir], t);
    await assertNothingLost({ dataDir, databaseUrl: null }, sent);
    await assertRestarts(['--data-dir', dataDir], t);
  });

  it('loses nothing acknowledged when killed with SIGKILL (PostgreSQL)', async (t) => {
    const database = await tempDatabaseOrSkip(t);
    if (!database) return;
    const sent = await killRightAfterAck(['--database-url', database.url], t);
    await assertNothingLost({ dataDir: '', databaseUrl: database.url }, sent);
    await assertRestarts(['--database-url', database.url], t);
  });

  it('answers 503 with Retry-After while PostgreSQL is unreachable, stays healthy, and recovers by itself', async (t) => {
    const database = await tempDatabaseOrSkip(t);
    if (!database) return;
    const upstream = new URL(postgresUrl);
    const proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    t.after(() => proxy.close());
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    const collector = await startTestCollector(t, { databaseUrl: viaProxy.toString() });
    const post = () =>
      fetch(`${collector.url}/v1/traces`, {
        method: 'POST',
        body: otlpProtobufBody(batch().spans),
        headers: { 'content-type': 'application/x-protobuf' },
      });
    assert.equal((await post()).status, 200);

    await proxy.cut();
    const refused = await post();
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '5');
    assert.equal((await fetch(`${collector.url}/healthz`)).status, 200);
    const notReady = await fetch(`${collector.url}/readyz`);
    assert.equal(notReady.status, 503);
    assert.equal(((await notReady.json()) as { error: { code: string } }).error.code, 'not_ready');

    await proxy.restore();
    await waitFor(async () => (await fetch(`${collector.url}/readyz`)).status === 200, { timeoutMs: 20_000, message: '/readyz ready again' });
    await waitFor(async () => (await post()).status === 200, { timeoutMs: 20_000, message: 'ingest accepted again' });
  });
});
