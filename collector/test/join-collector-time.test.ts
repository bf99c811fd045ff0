import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeTempDir } from '@closewatch/test/harness';
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
      assert.ok(Math.abs(detail.client!.clockOffsetMs - 2 * HOUR) <= 1_000, `client offset ${detail.client?.clockOffsetMs}`);
      assert.equal(detail.server?.clockOffsetMs, 0);
      const { startTimeMs, endTimeMs } = detail.outcome!;
      assert.ok(endTimeMs - startTimeMs < 10_000, `the connection lasted ${endTimeMs - startTimeMs} ms, not 2 h`);
      assert.ok(startTimeMs >= server.startMs - 1_000 && endTimeMs <= clock.ms, 'placed on the collector clock');
      assert.ok(detail.outcome!.evidence.some((line) => /the client's clock was 2 h 0 min ahead .*clock_offset_ms=7\d{6}/.test(line)), detail.outcome!.evidence.join('\n'));
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
        assert.equal(detail.outcome!.endTimeMs - detail.outcome!.startTimeMs, span.endMs - span.startMs, 'its duration as measured');
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
