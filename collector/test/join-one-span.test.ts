import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeTempDir } from '@closewatch/test/harness';
import { clientSpan, serverSpanFor, spanId, type SpanSpec } from './support/otlp-fixtures.js';
import { apiByCause, closesCounted, idOf, send, STORES, storeConfig, sweeperOf } from './support/join-helpers.js';
import { ManualClock, startTestCollector, type TestCollector } from './support/test-collector.js';

const EVERYTHING = '?from=0&to=now';

/**
 * What a client without the agent sends when it reuses one `traceparent` on every reconnect: 200 server
 * spans (one per connection, each closed with its own reason) naming one parent span id.
 */
function reconnects(nowMs: number, count = 200): { parent: SpanSpec; servers: SpanSpec[] } {
  const parent = clientSpan({ startMs: nowMs - 600_000 });
  const servers = Array.from({ length: count }, (_, i) => ({
    ...serverSpanFor(parent, { 'websocket.close.code': 4000 + (i % 10), 'websocket.close.reason': `reconnect ${i}` }),
    startMs: nowMs - 600_000 + i * 1_000,
    endMs: nowMs - 600_000 + i * 1_000 + 900,
  }));
  return { parent, servers };
}

/** Each server span is stored once, in a connection of its own, with its own reason. */
async function assertOneConnectionEach(collector: TestCollector, servers: SpanSpec[]): Promise<void> {
  for (const [i, server] of servers.entries()) {
    const record = (await collector.deps.store.getConnection(`${server.traceId}-${server.spanId}`)) ?? (await collector.deps.store.getConnection(`${server.traceId}-${server.parentSpanId}`));
    assert.equal(record?.server?.spanId, server.spanId, `server span ${i} has its own connection`);
    assert.equal(record.outcome?.reason, `reconnect ${i}`, `server span ${i} is not overwritten`);
    assert.equal(record.client, null);
  }
}

/** One request of 100 spans, then the rest one span per request, 20 requests at a time. */
async function sendInPieces(at: (i: number) => TestCollector, servers: SpanSpec[]): Promise<void> {
  await send(at(0), servers.slice(0, 100));
  for (let from = 100; from < servers.length; from += 20) {
    await Promise.all(servers.slice(from, from + 20).map((server, i) => send(at(from + i), [server])));
  }
}

for (const kind of STORES) {
  describe(`one span, one connection (${kind})`, () => {
    it('200 server spans with one parent span id are 200 connections, none lost or overwritten', async (t) => {
      const config = await storeConfig(t, kind);
      if (!config) return;
      const clock = new ManualClock(Date.now());
      const collector = await startTestCollector(t, config, clock);
      const { servers } = reconnects(clock.ms);
      await sendInPieces(() => collector, servers);
      clock.ms += 30_001;
      await sweeperOf(collector).sweepOnce();
      assert.equal(await collector.deps.store.countPending(), 0);
      assert.equal(await closesCounted(collector), 200);
      const api = await apiByCause(collector, EVERYTHING);
      assert.equal(Object.values(api).reduce((a, b) => a + b, 0), 200);
      await assertOneConnectionEach(collector, servers);
    });

    it('two server spans claiming one client: at most one joins (in one batch, the one whose lifetime fits), the other stays server-only', async (t) => {
      const config = await storeConfig(t, kind);
      if (!config) return;
      const collector = await startTestCollector(t, config);
      const client = clientSpan({ startMs: Date.now() - 65_000 }, { 'websocket.open.duration_ms': 59_900 });
      client.endMs = client.startMs + 60_000;
      const retried = { ...serverSpanFor(client, { 'websocket.opened': false, 'http.response.status_code': 502 }), endMs: client.startMs + 2_000 };
      const real = serverSpanFor(client);
      await send(collector, [retried, client, real]);
      const joined = await collector.deps.store.getConnection(idOf(client));
      assert.equal(joined?.outcome?.observedBy, 'both');
      assert.equal(joined.server?.spanId, real.spanId, 'the server span whose lifetime matches the client joins');
      const apart = await collector.deps.store.getConnection(`${retried.traceId}-${retried.spanId}`);
      assert.equal(apart?.outcome?.observedBy, 'server');
      assert.equal(apart.server?.spanId, retried.spanId);
      assert.ok(apart.outcome?.evidence.some((line) => line.includes(`this one (${retried.spanId}) is a connection of its own`)), apart.outcome?.evidence.join('\n'));

      // across requests the first server span to arrive holds the client's place
      const later = clientSpan();
      const first = serverSpanFor(later);
      const second = { ...serverSpanFor(later), spanId: spanId() };
      await send(collector, [first]);
      await send(collector, [later]);
      await send(collector, [second]);
      assert.equal((await collector.deps.store.getConnection(idOf(later)))?.server?.spanId, first.spanId);
      assert.equal((await collector.deps.store.getConnection(`${second.traceId}-${second.spanId}`))?.outcome?.observedBy, 'server');
      assert.equal(await closesCounted(collector), 4);
    });
  });
}

describe('one span, one connection across a restart (DuckDB)', () => {
  it('server spans sharing a parent stay 200 connections after the collector restarts on the same data directory', async (t) => {
    const dir = makeTempDir('one-span');
    t.after(() => dir.remove());
    const clock = new ManualClock(Date.now());
    const first = await startTestCollector(t, { dataDir: dir.path }, clock);
    const { servers } = reconnects(clock.ms);
    await sendInPieces(() => first, servers.slice(0, 150));
    await first.close();
    const second = await startTestCollector(t, { dataDir: dir.path }, clock);
    assert.equal(await second.deps.store.countPending(), 1, 'the span holding the client place still waits for it');
    await send(second, servers.slice(150));
    clock.ms += 30_001;
    await sweeperOf(second).sweepOnce();
    assert.equal(Object.values(await apiByCause(second, EVERYTHING)).reduce((a, b) => a + b, 0), 200);
    await assertOneConnectionEach(second, servers);
  });
});

describe('one span, one connection with two collectors on one PostgreSQL', () => {
  it('200 server spans with one parent reaching two instances at once are 200 connections', async (t) => {
    const config = await storeConfig(t, 'PostgreSQL');
    if (!config) return;
    const clock = new ManualClock(Date.now());
    const a = await startTestCollector(t, config, clock);
    const b = await startTestCollector(t, config, clock);
    const { servers } = reconnects(clock.ms);
    await Promise.all([sendInPieces((i) => (i % 2 ? a : b), servers.slice(0, 150)), send(a, servers.slice(150))]);
    clock.ms += 30_001;
    await Promise.all([sweeperOf(a).sweepOnce(), sweeperOf(b).sweepOnce()]);
    assert.equal((await closesCounted(a)) + (await closesCounted(b)), 200);
    assert.equal(Object.values(await apiByCause(a, EVERYTHING)).reduce((x, y) => x + y, 0), 200);
    await assertOneConnectionEach(a, servers);
  });
});
