import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeTempDir } from '@closewatch/test/harness';
import { clientSpan, serverSpanFor, spanId, type SpanSpec } from './support/otlp-fixtures.js';
import { KEPT_APART_SUFFIX } from '../src/join/join-key.js';
import { apiByCause, closesByCause, closesCounted, idOf, send, STORES, storeConfig, sweeperOf } from './support/join-helpers.js';
import { ManualClock, startTestCollector, type TestCollector } from './support/test-collector.js';
import type { CollectorConfig } from '../src/config.js';

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
    const record =
      (await collector.deps.store.getConnection(`${server.traceId}-${server.spanId}${KEPT_APART_SUFFIX}`)) ??
      (await collector.deps.store.getConnection(`${server.traceId}-${server.parentSpanId}`));
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
      assert.equal(
        Object.values(api).reduce((a, b) => a + b, 0),
        200,
      );
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
      const apart = await collector.deps.store.getConnection(`${retried.traceId}-${retried.spanId}${KEPT_APART_SUFFIX}`);
      assert.equal(apart?.outcome?.observedBy, 'server');
      assert.equal(apart.server?.spanId, retried.spanId);
      assert.ok(
        apart.outcome?.evidence.some((line) => line.includes(`this one (${retried.spanId}) is a connection of its own`)),
        apart.outcome?.evidence.join('\n'),
      );

      // across requests the first server span to arrive holds the client's place
      const later = clientSpan();
      const first = serverSpanFor(later);
      const second = { ...serverSpanFor(later), spanId: spanId() };
      await send(collector, [first]);
      await send(collector, [later]);
      await send(collector, [second]);
      assert.equal((await collector.deps.store.getConnection(idOf(later)))?.server?.spanId, first.spanId);
      assert.equal((await collector.deps.store.getConnection(`${second.traceId}-${second.spanId}${KEPT_APART_SUFFIX}`))?.outcome?.observedBy, 'server');
      assert.equal(await closesCounted(collector), 4);
    });
  });
}

/** A server span with no parent (a client without the agent that sent no traceparent). */
function parentlessServer(nowMs: number): SpanSpec {
  const server = serverSpanFor(clientSpan({ startMs: nowMs - 10_000 }), { 'websocket.close.code': 1001, 'websocket.close.initiator': 'server' });
  return { ...server, parentSpanId: undefined };
}

/** A server span naming `parent` (a server span, or any span id) as its parent. */
function serverNaming(parent: SpanSpec, reason: string): SpanSpec {
  return { ...serverSpanFor({ ...parent, endMs: parent.endMs + 10 }, { 'websocket.close.reason': reason }), parentSpanId: parent.spanId };
}

/** The row holding this server span, wherever the join put it (its parent's slot, its own, or kept apart). */
async function rowOf(collector: TestCollector, server: SpanSpec) {
  for (const id of [
    `${server.traceId}-${server.parentSpanId}`,
    `${server.traceId}-${server.spanId}`,
    `${server.traceId}-${server.spanId}${KEPT_APART_SUFFIX}`,
  ]) {
    const record = await collector.deps.store.getConnection(id);
    if (record?.server?.spanId === server.spanId) return record;
  }
  return null;
}

/**
 * Found by the ingest fuzz test: a server span kept apart used to be keyed `${traceId}-${spanId}`, the join
 * key of a span naming it as parent, so a third server span naming it took that row and both were
 * finalised as one row counted twice in /metrics (and the kept-apart span was not stored). A server span
 * with no parent whose own id another server span had taken was not stored at all.
 */
async function sendServersNamingServers(collector: TestCollector, nowMs: number): Promise<SpanSpec[]> {
  const a = parentlessServer(nowMs);
  const b = serverNaming(a, 'b names a');
  const c = serverNaming(b, 'c names b');
  await send(collector, [a]);
  await send(collector, [b, c]);
  // the other order: the span named as parent arrives after the one naming it, in one request
  const p = parentlessServer(nowMs);
  const q = serverNaming(p, 'q names p');
  await send(collector, [q, p]);
  return [a, b, c, p, q];
}

async function assertEachStoredOnce(collector: TestCollector, servers: SpanSpec[]): Promise<void> {
  assert.equal(await collector.deps.store.countPending(), 0);
  const ids = new Set<string>();
  for (const [i, server] of servers.entries()) {
    const record = await rowOf(collector, server);
    assert.ok(record?.final, `server span ${i} is stored and final`);
    ids.add(record.id);
  }
  assert.equal(ids.size, servers.length, 'each server span has a row of its own');
  assert.equal(
    Object.values(await apiByCause(collector, EVERYTHING)).reduce((a, b) => a + b, 0),
    servers.length,
  );
  const [, b, , p] = servers as [SpanSpec, SpanSpec, SpanSpec, SpanSpec, SpanSpec];
  const apartB = await collector.deps.store.getConnection(`${b.traceId}-${b.spanId}${KEPT_APART_SUFFIX}`);
  assert.ok(
    apartB?.outcome?.evidence.some((line) => line.includes(`this one (${b.spanId}) is a connection of its own`)),
    apartB?.outcome?.evidence.join('\n'),
  );
  const apartP = await collector.deps.store.getConnection(`${p.traceId}-${p.spanId}${KEPT_APART_SUFFIX}`);
  assert.ok(
    apartP?.outcome?.evidence.some((line) => line.includes(`names this one (${p.spanId}) as its parent`)),
    apartP?.outcome?.evidence.join('\n'),
  );
}

async function assertCountedOnce(collector: TestCollector, servers: SpanSpec[]): Promise<void> {
  assert.deepEqual(await closesByCause(collector), await apiByCause(collector, EVERYTHING), '/metrics per cause equals the API summary');
  assert.equal(await closesCounted(collector), servers.length);
}

for (const kind of STORES) {
  describe(`server spans naming server spans (${kind})`, () => {
    it('a kept-apart server span named as parent by another, and a parentless one whose id another took: each stored once, counted once', async (t) => {
      const config = await storeConfig(t, kind);
      if (!config) return;
      const clock = new ManualClock(Date.now());
      const collector = await startTestCollector(t, config, clock);
      const servers = await sendServersNamingServers(collector, clock.ms);
      clock.ms += 30_001;
      await sweeperOf(collector).sweepOnce();
      await assertEachStoredOnce(collector, servers);
      await assertCountedOnce(collector, servers);
      // the same spans again are a retry: nothing new is stored or counted
      await send(collector, servers);
      await assertEachStoredOnce(collector, servers);
      await assertCountedOnce(collector, servers);
    });
  });
}

describe('server spans naming server spans across a restart (DuckDB)', () => {
  it('each is still stored once, and counted once, after the collector restarts on the same data directory', async (t) => {
    const dir = makeTempDir('servers-naming-servers');
    t.after(() => dir.remove());
    const config: Partial<CollectorConfig> = { dataDir: dir.path };
    const clock = new ManualClock(Date.now());
    const first = await startTestCollector(t, config, clock);
    const servers = await sendServersNamingServers(first, clock.ms);
    const countedBefore = await closesCounted(first);
    await first.close();
    const second = await startTestCollector(t, config, clock);
    assert.equal(await second.deps.store.countPending(), servers.length - countedBefore, 'what waited for a peer still waits');
    clock.ms += 30_001;
    await sweeperOf(second).sweepOnce();
    await assertEachStoredOnce(second, servers);
    assert.equal(await closesCounted(second), servers.length - countedBefore, 'the second process counts only what the first left pending');
  });
});

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
    assert.equal(
      Object.values(await apiByCause(second, EVERYTHING)).reduce((a, b) => a + b, 0),
      200,
    );
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
    assert.equal(
      Object.values(await apiByCause(a, EVERYTHING)).reduce((x, y) => x + y, 0),
      200,
    );
    await assertOneConnectionEach(a, servers);
  });
});
