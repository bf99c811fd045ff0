import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeTempDir } from '@closewatch/test/harness';
import { clockOffsets, connectionTimes, ownClockOffsetMs } from '../src/join/collector-time.js';
import type { StoredSide } from '../src/store/store.js';
import { storedSide } from './store-fixtures.js';
import { clientSpan, type SpanSpec } from './support/otlp-fixtures.js';
import { apiByCause, apiGet, closesByCause, idOf, send, STORES, storeConfig, sweeperOf, terminatedPair } from './support/join-helpers.js';
import { ManualClock, startTestCollector } from './support/test-collector.js';

const HOUR = 3_600_000;

interface Detail {
  client: { clockOffsetMs: number; startTimeMs: number; endTimeMs: number } | null;
  server: { clockOffsetMs: number } | null;
  outcome: { cause: string; observedBy: string; startTimeMs: number; endTimeMs: number; evidence: string[] } | null;
}

/** The span as an agent whose clock is `offsetMs` off sends it (events move with it). */
function skewed(span: SpanSpec, offsetMs: number): SpanSpec {
  return { ...span, startMs: span.startMs + offsetMs, endMs: span.endMs + offsetMs, events: span.events?.map((e) => ({ ...e, timeMs: e.timeMs + offsetMs })) };
}

/** A side whose span ran [startMs, endMs] on its own clock and reached the collector at receivedAtMs. */
function sideAt(kind: 'client' | 'server', startMs: number, endMs: number, receivedAtMs: number): StoredSide {
  return storedSide(kind, {
    startTimeMs: startMs,
    endTimeMs: endMs,
    receivedAtMs,
    attributes: kind === 'client' ? { 'websocket.handshake.duration_ms': 50 } : {},
  });
}

describe('clock offsets', () => {
  it('a side alone is left as sent unless it ended after its arrival or more than a day before', () => {
    assert.equal(ownClockOffsetMs({ endTimeMs: 1_000_000, receivedAtMs: 1_005_000 }), 0, 'a delivery 5 s late');
    assert.equal(ownClockOffsetMs({ endTimeMs: 1_000_000 + 20 * HOUR, receivedAtMs: 1_000_000 + 40 * HOUR }), 0, 'an offline browser delivering 20 h late');
    assert.equal(ownClockOffsetMs({ endTimeMs: 1_000_000 + 2 * HOUR, receivedAtMs: 1_000_000 }), 2 * HOUR, 'ahead: placed at its arrival');
    assert.equal(
      ownClockOffsetMs({ endTimeMs: 1_000_000, receivedAtMs: 1_000_000 + 30 * HOUR }),
      -30 * HOUR,
      'behind past any delivery: placed at its arrival',
    );
  });

  it('a client is aligned to its server: the server received the upgrade within the client handshake', () => {
    const server = sideAt('server', 10_020, 70_000, 75_000);
    assert.deepEqual(clockOffsets({ client: sideAt('client', 10_000, 70_010, 70_500), server }), { client: 0, server: 0 }, 'consistent clocks');
    assert.deepEqual(clockOffsets({ client: sideAt('client', 10_000 + 3 * HOUR, 70_010 + 3 * HOUR, 70_500), server }), { client: 3 * HOUR - 20, server: 0 });
    assert.deepEqual(clockOffsets({ client: sideAt('client', 10_000 - 180_000, 70_010 - 180_000, 70_500), server }), { client: -180_000 + 30, server: 0 });
  });

  it('a client ending after its own arrival once aligned means both clocks were ahead, so both move', () => {
    // the server 10 s ahead but delivering 15 s late looks right alone; the client, right and prompt, shows it
    const server = sideAt('server', 10_020 + 10_000, 70_000 + 10_000, 85_000);
    const client = sideAt('client', 10_000, 70_010, 70_010);
    const offsets = clockOffsets({ client, server });
    assert.deepEqual(offsets, { client: 0, server: 9_970 }, 'off by the request travel time at most (30 ms of the 50 ms handshake)');
    assert.deepEqual(connectionTimes({ client, server }, offsets), { startTimeMs: 10_000, endTimeMs: 70_030 });
  });
});

for (const kind of STORES) {
  describe(`collector time (${kind})`, () => {
    it('a browser 2 h ahead: joined, in the default view at once, its durations as measured, the correction kept as evidence', async (t) => {
      const config = await storeConfig(t, kind);
      if (!config) return;
      const clock = new ManualClock(Date.now());
      const collector = await startTestCollector(t, config, clock);
      const [client, server] = terminatedPair(clock.ms - 5_000);
      const ahead = skewed(client, 2 * HOUR);
      await send(collector, [ahead]);
      clock.ms += 2_000;
      await send(collector, [server]);

      const detail = await apiGet<Detail>(collector, `/closes/${idOf(client)}`);
      assert.equal(detail.outcome?.observedBy, 'both');
      assert.equal(detail.outcome?.cause, 'server_terminated');
      assert.equal(detail.client?.startTimeMs, ahead.startMs, 'the side keeps the times its agent sent');
      assert.ok(Math.abs(detail.client.clockOffsetMs - 2 * HOUR) <= 1_000, `client offset ${detail.client?.clockOffsetMs}`);
      assert.equal(detail.server?.clockOffsetMs, 0);
      const { startTimeMs, endTimeMs } = detail.outcome;
      assert.ok(endTimeMs - startTimeMs < 10_000, `the connection lasted ${endTimeMs - startTimeMs} ms, not 2 h`);
      assert.ok(startTimeMs >= server.startMs - 1_000 && endTimeMs <= clock.ms, 'placed on the collector clock');
      assert.ok(
        detail.outcome.evidence.some((line) => /The client's clock was 2 h 0 min ahead .*clock_offset_ms=7\d{6}/.test(line)),
        detail.outcome.evidence.join('\n'),
      );
      assert.deepEqual(await apiByCause(collector), { server_terminated: 1 }, 'in the default view (the last 24 h)');
      assert.deepEqual(await closesByCause(collector), { server_terminated: 1 });
    });

    it('a browser 3 min behind whose side arrives first waits for the server side and is counted with the real cause', async (t) => {
      const config = await storeConfig(t, kind);
      if (!config) return;
      const clock = new ManualClock(Date.now());
      const collector = await startTestCollector(t, config, clock);
      const sweeper = sweeperOf(collector);
      const [client, server] = terminatedPair(clock.ms - 5_000);
      await send(collector, [skewed(client, -3 * 60_000)]);
      clock.ms += 1_000;
      assert.equal(await sweeper.sweepOnce(), 0, 'the join window runs from its arrival, not from its span end');
      clock.ms += 4_000;
      await send(collector, [server]);
      const detail = await apiGet<Detail>(collector, `/closes/${idOf(client)}`);
      assert.equal(detail.outcome?.observedBy, 'both');
      assert.ok(Math.abs(detail.client!.clockOffsetMs + 3 * 60_000) <= 1_000, `client offset ${detail.client?.clockOffsetMs}`);
      assert.deepEqual(await closesByCause(collector), { server_terminated: 1 });
      assert.deepEqual(await apiByCause(collector), { server_terminated: 1 });
    });

    it('browser-only spans dated 2100 and 1970 are finalised on the receive clock, placed at their arrival and removed by retention', async (t) => {
      const config = await storeConfig(t, kind);
      if (!config) return;
      const clock = new ManualClock(Date.now());
      const collector = await startTestCollector(t, config, clock);
      const sweeper = sweeperOf(collector);
      const future = clientSpan({ startMs: Date.UTC(2100, 0, 1) });
      const ancient = clientSpan({ startMs: 1_000 });
      const arrivedMs = clock.ms;
      await send(collector, [future, ancient]);
      assert.equal(await collector.deps.store.countPending(), 2);
      clock.ms += 29_000;
      assert.equal(await sweeper.sweepOnce(), 0);
      clock.ms += 1_001;
      assert.equal(await sweeper.sweepOnce(), 2, 'finalised once the join window after their arrival passed');
      assert.equal(await collector.deps.store.countPending(), 0);
      for (const span of [future, ancient]) {
        const detail = await apiGet<Detail>(collector, `/closes/${idOf(span)}`);
        assert.equal(detail.outcome?.endTimeMs, arrivedMs, 'placed at its arrival');
        assert.equal(detail.outcome.endTimeMs - detail.outcome.startTimeMs, span.endMs - span.startMs, 'its duration as measured');
      }
      assert.deepEqual(await apiByCause(collector), { normal_closure: 2 });
      assert.equal(await collector.deps.store.deleteOlderThan(arrivedMs + 1), 2, 'retention sees collector time');
      assert.deepEqual(await apiByCause(collector), {});
    });
  });
}

describe('collector time across a restart (DuckDB)', () => {
  it('a pending side dated in the future keeps its receive-clock deadline when the collector restarts on the same data directory', async (t) => {
    const dir = makeTempDir('collector-time');
    t.after(() => dir.remove());
    const clock = new ManualClock(Date.now());
    const first = await startTestCollector(t, { dataDir: dir.path }, clock);
    const future = clientSpan({ startMs: Date.UTC(2100, 0, 1) });
    const arrivedMs = clock.ms;
    await send(first, [future]);
    await first.close();

    const second = await startTestCollector(t, { dataDir: dir.path }, clock);
    assert.equal(await second.deps.store.countPending(), 1, 'rebuilt from the journal');
    clock.ms += 10_000;
    assert.equal(await sweeperOf(second).sweepOnce(), 0);
    clock.ms += 20_001;
    assert.equal(await sweeperOf(second).sweepOnce(), 1);
    const detail = await apiGet<Detail>(second, `/closes/${idOf(future)}`);
    assert.equal(detail.outcome?.endTimeMs, arrivedMs);
    assert.deepEqual(await apiByCause(second), { normal_closure: 1 });
  });
});
