import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePort, makeTempDir, tempDatabaseOrSkip, waitFor } from '@closewatch/test/harness';
import { RetentionJob } from '../src/jobs/retention-job.js';
import { startCollectorProcess } from './support/collector-process.js';
import { clientSpan, otlpJsonBody, type SpanSpec } from './support/otlp-fixtures.js';
import { ManualClock, startTestCollector, type TestCollector } from './support/test-collector.js';

const DAY_MS = 24 * 60 * 60 * 1000;

async function send(url: string, spans: SpanSpec[]): Promise<void> {
  const response = await fetch(`${url}/v1/traces`, { method: 'POST', body: otlpJsonBody(spans), headers: { 'content-type': 'application/json' } });
  assert.equal(response.status, 200);
}

function retentionOf(collector: TestCollector, clock: ManualClock): RetentionJob {
  return new RetentionJob(collector.deps.store, { retentionDays: 14, intervalMs: 60_000, now: () => clock.now() });
}

describe('background jobs', () => {
  it('retention deletes connections older than the retention period and keeps the rest', async (t) => {
    const clock = new ManualClock();
    const collector = await startTestCollector(t, {}, clock);
    // times are the collector's: a connection is old when it was received long ago, whatever its agent's clock said
    const old = clientSpan({ startMs: clock.ms - 10_000 }, { 'websocket.propagated': false });
    await send(collector.url, [old]);
    clock.ms += 18 * DAY_MS;
    const recent = clientSpan({ startMs: clock.ms - 10_000 }, { 'websocket.propagated': false });
    await send(collector.url, [recent]);
    clock.ms += 2 * DAY_MS;
    assert.equal(await retentionOf(collector, clock).runOnce(), 1);
    assert.equal(await collector.deps.store.getConnection(`${old.traceId}-${old.spanId}`), null);
    assert.ok(await collector.deps.store.getConnection(`${recent.traceId}-${recent.spanId}`));
  });

  it('retention runs on the leader instance only (PostgreSQL)', async (t) => {
    const database = await tempDatabaseOrSkip(t);
    if (!database) return;
    const clock = new ManualClock();
    const leader = await startTestCollector(t, { databaseUrl: database.url }, clock);
    const follower = await startTestCollector(t, { databaseUrl: database.url }, clock);
    await send(leader.url, [clientSpan({ startMs: clock.ms - 10_000 }, { 'websocket.propagated': false })]);
    clock.ms += 30 * DAY_MS;
    assert.equal(await retentionOf(leader, clock).runOnce(), 1);
    await send(leader.url, [clientSpan({ startMs: clock.ms - 10_000 }, { 'websocket.propagated': false })]);
    clock.ms += 30 * DAY_MS;
    assert.equal(await retentionOf(follower, clock).runOnce(), 0, 'the follower does not delete while the leader holds leadership');
  });

  it('the running collector finalises expired joins by itself', async (t) => {
    const dir = makeTempDir('jobs');
    t.after(() => dir.remove());
    const port = await freePort();
    await startCollectorProcess(['--port', String(port), '--data-dir', join(dir.path, 'data')], t, {
      CLOSEWATCH_JOIN_WINDOW_MS: '100',
      CLOSEWATCH_SWEEP_INTERVAL_MS: '50',
    });
    const lone = clientSpan({ startMs: Date.now() - 5000 });
    await send(`http://127.0.0.1:${port}`, [lone]);
    const id = encodeURIComponent(`${lone.traceId}-${lone.spanId}`);
    const detail = await waitFor(
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/closes/${id}`);
        const body = response.status === 200 ? ((await response.json()) as { final?: boolean }) : null;
        return body?.final ? body : null;
      },
      { timeoutMs: 20_000, message: 'the lone side finalised by the sweeper' },
    );
    assert.match(JSON.stringify(detail), /"observedBy":"client"/);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(metrics, /^closewatch_join_expired_total 1$/m);
  });
});
