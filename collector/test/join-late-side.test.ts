import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeTempDir } from '@closewatch/test/harness';
import { finalizeConnections } from '../src/join/finalize-connections.js';
import { toIncomingSide } from '../src/join/join-key.js';
import { readSpan, readSpanContext } from '../src/ingest/read-span.js';
import type { StoredSide } from '../src/store/store.js';
import { otlpJson, type SpanSpec } from './support/otlp-fixtures.js';
import { apiByCause, apiGet, closesByCause, idOf, send, STORES, storeConfig, sweeperOf, terminatedPair } from './support/join-helpers.js';
import { ManualClock, metricValue, startTestCollector, type TestCollector } from './support/test-collector.js';

const EVERYTHING = '?from=0&to=now';

/** The side as ingest reads it from its OTLP/JSON, received at `receivedAtMs`. */
function storedSideOf(spec: SpanSpec, receivedAtMs: number): StoredSide {
  const [resourceSpans] = (
    otlpJson([spec]) as { resourceSpans: Array<{ resource: { attributes: unknown }; scopeSpans: Array<{ scope: object; spans: never[] }> }> }
  ).resourceSpans;
  const [scopeSpans] = resourceSpans.scopeSpans;
  const reading = readSpan(scopeSpans.spans[0], readSpanContext(resourceSpans.resource.attributes, scopeSpans.scope, receivedAtMs));
  assert.equal(reading.result, 'accepted');
  return (reading as { span: StoredSide }).span;
}

/** Per-cause counts of several collectors' closewatch_ws_closes_total added up (Prometheus sums instances). */
async function countedByCause(collectors: TestCollector[]): Promise<Record<string, number>> {
  const total: Record<string, number> = {};
  for (const collector of collectors) {
    for (const [cause, count] of Object.entries(await closesByCause(collector))) total[cause] = (total[cause] ?? 0) + count;
  }
  return total;
}

async function lateSides(collectors: TestCollector[]): Promise<number> {
  let total = 0;
  for (const collector of collectors)
    for (const differs of ['true', 'false']) total += await metricValue(collector.deps, 'closewatch_join_late_sides_total', { cause_differs: differs });
  return total;
}

/**
 * Connections in every arrival order, sent to `at(i)` (one collector, or alternating instances), the
 * clock moved by hand: both sides at once, either side first within the window, either side late after
 * the window, one side only, and a late side sent twice. Returns the connections whose side came late.
 */
async function everyArrivalOrder(at: (i: number) => TestCollector, clock: ManualClock, sweep: () => Promise<unknown>): Promise<string[]> {
  const pairs = Array.from({ length: 7 }, () => terminatedPair(clock.ms - 5_000));
  const [together, clientFirst, serverFirst, serverLate, clientLate, clientOnly, lateTwice] = pairs;
  await send(at(0), together);
  await send(at(1), [clientFirst[0], serverFirst[1], serverLate[0], clientLate[1], clientOnly[0], lateTwice[0]]);
  clock.ms += 10_000;
  await send(at(2), [clientFirst[1]]);
  await send(at(3), [serverFirst[0]]);
  clock.ms += 20_001;
  await sweep();
  clock.ms += 5_000;
  await send(at(4), [serverLate[1]]);
  await send(at(5), [clientLate[0]]);
  await send(at(6), [lateTwice[1]]);
  await send(at(7), [lateTwice[1]]);
  return [serverLate, clientLate, lateTwice].map(([client]) => idOf(client));
}

interface Detail {
  client: unknown;
  server: unknown;
  outcome: { cause: string; observedBy: string; evidence: string[] };
}

/** The API and /metrics agree per cause; late sides are stored, noted once, and never change a counted cause. */
async function assertAgreement(reader: TestCollector, counters: TestCollector[], late: string[]): Promise<void> {
  const api = await apiByCause(reader, EVERYTHING);
  assert.deepEqual(api, await countedByCause(counters), 'the API summary and /metrics agree per cause');
  assert.equal(
    Object.values(api).reduce((a, b) => a + b, 0),
    7,
  );
  for (const id of late) {
    const detail = await apiGet<Detail>(reader, `/closes/${id}`);
    assert.ok(detail.client && detail.server, 'the late side is stored');
    assert.notEqual(detail.outcome.observedBy, 'both', 'counted with one side, and it stays so');
    assert.equal(detail.outcome.evidence.filter((line) => /^Late (client|server) side: /.test(line)).length, 1, detail.outcome.evidence.join('\n'));
  }
  assert.equal(await lateSides(counters), late.length, 'each late side counted once');
}

for (const kind of STORES) {
  describe(`late sides (${kind})`, () => {
    it('/metrics and the API agree per cause after every arrival order', async (t) => {
      const config = await storeConfig(t, kind);
      if (!config) return;
      const clock = new ManualClock(Date.now());
      const collector = await startTestCollector(t, config, clock);
      const late = await everyArrivalOrder(
        () => collector,
        clock,
        () => sweeperOf(collector).sweepOnce(),
      );
      await assertAgreement(collector, [collector], late);
      const [serverLate] = late;
      const detail = await apiGet<Detail>(collector, `/closes/${serverLate}`);
      assert.equal(detail.outcome.cause, 'unknown', 'the counted cause');
      assert.match(detail.outcome.evidence.at(-1)!, /with both sides the cause would be server_terminated \(.*\)\. The count stands as unknown\.$/);
      assert.equal(await metricValue(collector.deps, 'closewatch_join_late_sides_total', { side: 'server', cause_differs: 'true' }), 2);
    });
  });
}

describe('late sides across a restart (DuckDB)', () => {
  it('a side arriving after a restart for a connection counted before it is noted, not counted again', async (t) => {
    const dir = makeTempDir('late-side');
    t.after(() => dir.remove());
    const clock = new ManualClock(Date.now());
    const first = await startTestCollector(t, { dataDir: dir.path }, clock);
    const pending = terminatedPair(clock.ms - 5_000);
    const [client, server] = terminatedPair(clock.ms - 5_000);
    await send(first, [client, pending[0]]);
    clock.ms += 30_001;
    assert.equal(await sweeperOf(first).sweepOnce(), 2);
    await send(first, [terminatedPair(clock.ms - 5_000)[0]]);
    const counted = await closesByCause(first);
    await first.close();

    const second = await startTestCollector(t, { dataDir: dir.path }, clock);
    await send(second, [server]);
    clock.ms += 30_001;
    assert.equal(await sweeperOf(second).sweepOnce(), 1, 'the side pending at the restart is finalised by the second process');
    const byCause = await countedByCause([second]);
    for (const [cause, count] of Object.entries(counted)) byCause[cause] = (byCause[cause] ?? 0) + count;
    assert.deepEqual(await apiByCause(second, EVERYTHING), byCause, 'what both processes counted is what the API shows');
    const detail = await apiGet<Detail>(second, `/closes/${idOf(client)}`);
    assert.equal(detail.outcome.cause, 'unknown');
    assert.match(detail.outcome.evidence.at(-1)!, /^Late server side: /);
    assert.equal(await lateSides([second]), 1);
  });
});

describe('late sides with two collectors on one PostgreSQL', () => {
  it('/metrics summed over both instances agrees with the API after every arrival order, sides alternating between them', async (t) => {
    const config = await storeConfig(t, 'PostgreSQL');
    if (!config) return;
    const clock = new ManualClock(Date.now());
    const a = await startTestCollector(t, config, clock);
    const b = await startTestCollector(t, config, clock);
    const late = await everyArrivalOrder(
      (i) => (i % 2 ? b : a),
      clock,
      () => Promise.all([sweeperOf(a).sweepOnce(), sweeperOf(b).sweepOnce()]),
    );
    await assertAgreement(a, [a, b], late);
  });

  for (const race of ['the joined finalize first', 'the stale one-sided finalize first'] as const) {
    it(`a sweeper racing a side that completes its connection on the other instance: ${race}`, async (t) => {
      const config = await storeConfig(t, 'PostgreSQL');
      if (!config) return;
      const clock = new ManualClock(Date.now());
      const a = await startTestCollector(t, config, clock);
      const b = await startTestCollector(t, config, clock);
      const [client, server] = terminatedPair(clock.ms - 5_000);
      await send(a, [client]);
      clock.ms += 30_001;
      const claimed = await a.deps.store.claimExpired(clock.ms, 10);
      assert.equal(claimed.length, 1, "a's sweeper holds the client side alone");
      // b's ingest between its upsert and its finalize
      const records = await b.deps.store.upsertSides([toIncomingSide(storedSideOf(server, clock.ms), 30_000, false)]);
      const finalizeA = () => finalizeConnections({ ...a.deps, now: () => clock.now() }, claimed);
      const finalizeB = () => finalizeConnections({ ...b.deps, now: () => clock.now() }, records);
      if (race === 'the joined finalize first') await finalizeB().then(finalizeA);
      else await finalizeA().then(finalizeB);
      const api = await apiByCause(a, EVERYTHING);
      assert.deepEqual(api, await countedByCause([a, b]), 'the API and /metrics agree');
      assert.equal(
        Object.values(api).reduce((x, y) => x + y, 0),
        1,
        'counted once',
      );
      const detail = await apiGet<Detail>(a, `/closes/${idOf(client)}`);
      if (race === 'the joined finalize first') {
        assert.equal(detail.outcome.observedBy, 'both');
        assert.equal(await lateSides([a, b]), 0);
      } else {
        assert.equal(detail.outcome.observedBy, 'client');
        assert.match(detail.outcome.evidence.at(-1)!, /^Late server side: /);
        assert.equal(await lateSides([a, b]), 1);
      }
    });
  }
});
