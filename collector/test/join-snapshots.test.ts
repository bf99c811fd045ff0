// Open-connection snapshots (docs/design.md "Open-connection snapshots") through a real collector on
// both stores: kept per connection, never counted as closes, and read when the browser's close record
// never came.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientSpan, serverSpanFor, spanId, type SpanSpec } from './support/otlp-fixtures.js';
import { apiGet, closesByCause, closesCounted, idOf, send, STORES, storeConfig, sweeperOf } from './support/join-helpers.js';
import { ManualClock, metricValue, startTestCollector, type TestCollector } from './support/test-collector.js';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36';
const JOIN_WINDOW_MS = 30_000;

/** A browser connection whose close record never arrives, and the server span its heartbeat ended. */
function lostBrowser(nowMs: number, serverAttributes: Record<string, string | number | boolean> = {}): { client: SpanSpec; server: SpanSpec } {
  const client = clientSpan({ startMs: nowMs - 120_000, endMs: nowMs - 1_000 });
  const server = serverSpanFor(client, {
    'websocket.close.code': 1006,
    'websocket.close.was_clean': false,
    'websocket.close.initiator': 'server',
    'websocket.termination': 'terminate',
    'websocket.cause.hint': 'server_heartbeat_timeout',
    'user_agent.original': CHROME,
    ...serverAttributes,
  });
  return { client, server };
}

/** The snippet's snapshot span of `client`, `ageMs` before now: short keys, the browser agent's scope, on /v1/beacon. */
function snapshotRequest(client: SpanSpec, nowMs: number, ageMs: number, state: Record<string, unknown>, id = spanId()): Record<string, unknown> {
  const timeUnixNano = String(BigInt(nowMs - ageMs) * 1_000_000n);
  const value = (v: unknown) => (typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : { doubleValue: v });
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'chat-web' } }] },
        scopeSpans: [
          {
            scope: { name: '@closewatch/agent-browser', version: '0.1.0' },
            spans: [
              {
                traceId: client.traceId,
                spanId: id,
                parentSpanId: client.spanId,
                name: 'websocket.snapshot',
                kind: 3,
                startTimeUnixNano: timeUnixNano,
                endTimeUnixNano: timeUnixNano,
                attributes: Object.entries({ g: 'interval', gms: 60_000, v: 'visible', n: true, t: '4g', lms: 900, Lms: 400, a: 0, m: 3, M: 7, ...state }).map(
                  ([key, v]) => ({ key, value: value(v) }),
                ),
              },
            ],
          },
        ],
      },
    ],
  };
}

/**
 * The snapshot as sent `ageMs` before the server's end (`lostBrowser`'s server ends 1 s before `nowMs`):
 * the collector places a snapshot by its arrival, so the clock is there when it arrives.
 */
async function beaconAt(
  collector: TestCollector,
  clock: ManualClock,
  client: SpanSpec,
  nowMs: number,
  ageMs: number,
  state: Record<string, unknown>,
  id?: string,
): Promise<Record<string, unknown>> {
  clock.ms = nowMs - 1_000 - ageMs;
  try {
    return await beacon(collector, snapshotRequest(client, nowMs - 1_000, ageMs, state, id));
  } finally {
    clock.ms = nowMs;
  }
}

async function beacon(collector: TestCollector, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${collector.url}/v1/beacon`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
  });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return JSON.parse(text) as Record<string, unknown>;
}

interface Detail {
  outcome: { cause: string; observedBy: string; evidence: string[] };
  snapshot: { attributes: Record<string, unknown>; count: number; takenAtMs: number } | null;
}

for (const kind of STORES) {
  describe(`open-connection snapshots (${kind})`, () => {
    async function collectorOn(t: Parameters<typeof storeConfig>[0]): Promise<{ collector: TestCollector; clock: ManualClock } | null> {
      const config = await storeConfig(t, kind);
      if (!config) return null;
      const clock = new ManualClock(Date.now());
      return { collector: await startTestCollector(t, { ...config, joinWindowMs: JOIN_WINDOW_MS }, clock), clock };
    }

    /** Sends the server span, lets the join window pass without a browser close, and reads the connection. */
    async function finalizeServerOnly(collector: TestCollector, clock: ManualClock, server: SpanSpec, client: SpanSpec): Promise<Detail> {
      await send(collector, [server]);
      clock.ms += JOIN_WINDOW_MS + 1;
      await sweeperOf(collector).sweepOnce();
      return apiGet<Detail>(collector, `/closes/${idOf(client)}`);
    }

    it('the last snapshot said hidden: the lost browser record is client_suspended, observed by server_snapshot, and the snapshot is no close', async (t) => {
      const started = await collectorOn(t);
      if (!started) return;
      const { collector, clock } = started;
      const { client, server } = lostBrowser(clock.ms);
      await beaconAt(collector, clock, client, clock.ms, 70_000, { g: 'interval' });
      const answer = await beaconAt(collector, clock, client, clock.ms, 40_000, { g: 'hidden', v: 'hidden' });
      assert.equal(answer.partialSuccess, undefined, 'both snapshots accepted');
      assert.equal(await collector.deps.store.countPending(), 0, 'a snapshot is no pending connection');
      assert.equal(await metricValue(collector.deps, 'closewatch_ingest_spans_total', { result: 'snapshot' }), 2);
      const detail = await finalizeServerOnly(collector, clock, server, client);
      assert.equal(detail.outcome.cause, 'client_suspended', detail.outcome.evidence.join(' '));
      assert.equal(detail.outcome.observedBy, 'server_snapshot');
      const evidence = detail.outcome.evidence.join(' ');
      assert.match(evidence, /last snapshot of this connection \(2 received, taken on hidden\) is from 40\.0 s before the server's end/);
      assert.match(evidence, /the page was hidden and online \(effective type 4g\)/);
      assert.equal(detail.snapshot?.count, 2);
      assert.equal(detail.snapshot?.attributes['browser.visibility_state'], 'hidden', 'short keys expanded');
      assert.equal(await closesCounted(collector), 1, 'one connection counted, no snapshot');
      const list = await apiGet<{ items: unknown[] }>(collector, '/closes?from=0&to=now');
      assert.equal(list.items.length, 1);
    });

    it('the last snapshot said offline: client_offline', async (t) => {
      const started = await collectorOn(t);
      if (!started) return;
      const { collector, clock } = started;
      const { client, server } = lostBrowser(clock.ms);
      await beaconAt(collector, clock, client, clock.ms, 20_000, { g: 'offline', n: false, dms: 15_000 });
      const detail = await finalizeServerOnly(collector, clock, server, client);
      assert.equal(detail.outcome.cause, 'client_offline', detail.outcome.evidence.join(' '));
      // it arrived 20 s before the server's end, and had waited 15 s for the browser to be online again
      assert.match(detail.outcome.evidence.join(' '), /is from 35\.0 s before the server's end: the page was visible and offline/);
    });

    it('visible and online shortly before: connection_lost, the network path', async (t) => {
      const started = await collectorOn(t);
      if (!started) return;
      const { collector, clock } = started;
      const { client, server } = lostBrowser(clock.ms);
      await beaconAt(collector, clock, client, clock.ms, 0, {});
      const detail = await finalizeServerOnly(collector, clock, server, client);
      assert.equal(detail.outcome.cause, 'connection_lost', detail.outcome.evidence.join(' '));
      assert.match(detail.outcome.evidence.join(' '), /network path/);
    });

    it('a browser (its User-Agent) that propagated trace context but sent no snapshot: unknown, saying what is missing', async (t) => {
      const started = await collectorOn(t);
      if (!started) return;
      const { collector, clock } = started;
      const { client, server } = lostBrowser(clock.ms);
      const detail = await finalizeServerOnly(collector, clock, server, client);
      assert.equal(detail.outcome.cause, 'unknown');
      assert.equal(detail.outcome.observedBy, 'server');
      assert.equal(detail.snapshot, null);
      assert.match(detail.outcome.evidence.join(' '), /neither its close record nor any snapshot of it arrived/);
    });

    it('a Node client (no browser User-Agent) is not expected to send snapshots: the server heartbeat cause stands', async (t) => {
      const started = await collectorOn(t);
      if (!started) return;
      const { collector, clock } = started;
      const { client, server } = lostBrowser(clock.ms, { 'user_agent.original': '' });
      const detail = await finalizeServerOnly(collector, clock, server, client);
      assert.equal(detail.outcome.cause, 'server_heartbeat_timeout');
      assert.deepEqual(await closesByCause(collector), { server_heartbeat_timeout: 1 });
    });

    it('a browser close within the join window wins over its snapshot', async (t) => {
      const started = await collectorOn(t);
      if (!started) return;
      const { collector, clock } = started;
      const { client, server } = lostBrowser(clock.ms);
      await beaconAt(collector, clock, client, clock.ms, 10_000, { g: 'hidden', v: 'hidden' });
      const closed = {
        ...client,
        attributes: {
          ...client.attributes,
          'websocket.close.code': 1006,
          'websocket.close.was_clean': false,
          'browser.online': false,
          'browser.went_offline': true,
        },
      };
      await send(collector, [closed, server]);
      const detail = await apiGet<Detail>(collector, `/closes/${idOf(client)}`);
      assert.equal(detail.outcome.observedBy, 'both');
      assert.equal(detail.outcome.cause, 'client_offline', 'from the close record, not the hidden snapshot');
    });

    it('snapshots are validated: one without a parent span or of the wrong kind is rejected with its reason, the rest stored', async (t) => {
      const started = await collectorOn(t);
      if (!started) return;
      const { collector, clock } = started;
      const { client } = lostBrowser(clock.ms);
      const good = snapshotRequest(client, clock.ms, 0, {});
      const spans = (good.resourceSpans as Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }>)[0].scopeSpans[0].spans;
      spans.push({ ...spans[0], spanId: spanId(), parentSpanId: '' }, { ...spans[0], spanId: spanId(), kind: 2 });
      const answer = await beacon(collector, good);
      const partial = answer.partialSuccess as { rejectedSpans: string; errorMessage: string };
      assert.equal(Number(partial.rejectedSpans), 2);
      assert.match(partial.errorMessage, /needs the connection's span as its parent/);
      assert.match(partial.errorMessage, /must be of kind CLIENT/);
      assert.equal((await collector.deps.store.getSnapshots([idOf(client)])).get(idOf(client))?.count, 1);
    });

    it('the newest snapshot is kept whatever the arrival order; a resent one is not counted twice; retention removes them', async (t) => {
      const started = await collectorOn(t);
      if (!started) return;
      const { collector, clock } = started;
      const { client } = lostBrowser(clock.ms);
      const resent = spanId();
      await beaconAt(collector, clock, client, clock.ms, 5_000, { g: 'offline', n: false }, resent);
      await beaconAt(collector, clock, client, clock.ms, 60_000, { g: 'interval' });
      await beaconAt(collector, clock, client, clock.ms, 5_000, { g: 'offline', n: false, dms: 4_000 }, resent);
      const kept = (await collector.deps.store.getSnapshots([idOf(client)])).get(idOf(client));
      assert.equal(kept?.attributes['websocket.snapshot.trigger'], 'offline');
      assert.equal(kept?.count, 1, 'the older one arrived late and the resent one is the same snapshot');
      await collector.deps.store.deleteOlderThan(clock.ms + 1);
      assert.equal((await collector.deps.store.getSnapshots([idOf(client)])).size, 0);
    });
  });
}
