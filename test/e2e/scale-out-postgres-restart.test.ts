import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { postgresBinDir, startPrivatePostgres, waitFor } from '../harness/index.js';
import { startCollectorFleet, type FleetInstance } from './support/collector-fleet.js';
import { runFleetClients, sortedCounts, startFleetApp, storedByCause, storedSpanIds, totalOf } from './support/fleet-load.js';
import { countsPerCause, countsPerPath } from './support/fleet-plan.js';
import { startRecordingProxy } from './support/recording-proxy.js';

/**
 * The agent's exporter gives up 10 s after an export's first attempt by default; with the collector's
 * Retry-After of 5 s that rides out ~5 s of database downtime. Agents that must ride out a longer
 * restart raise it, and give the queue room for what ends meanwhile: one export at a time is out, and
 * these processes end ~1,000 connections a second each, beyond the default 2,048 in a few seconds
 * (docs/deploying.md).
 */
const AGENT_EXPORT_TIMEOUT = { OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '30000', OTEL_BSP_MAX_QUEUE_SIZE: '32768' };

function probeSpanBody(): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const span = {
    traceId: '5'.repeat(32),
    spanId: '6'.repeat(16),
    name: 'websocket.connection',
    kind: 2,
    startTimeUnixNano: String(now - 2_000_000_000n),
    endTimeUnixNano: String(now),
  };
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'restart-probe' } }] }, scopeSpans: [{ spans: [span] }] }],
  });
}

async function ready(instance: FleetInstance): Promise<number> {
  return (await fetch(`${instance.url}/readyz`)).status;
}

test('PostgreSQL restarted under load: the collectors answer 503 with Retry-After while it is down, recover by themselves, and lose nothing acknowledged', async (t) => {
  if (postgresBinDir() === null) {
    if (process.env.CI) throw new Error('no PostgreSQL server binaries to run a private server (CI is set, so this fails instead of skipping)');
    return t.skip('no PostgreSQL server binaries (initdb) to run a private server');
  }
  // A server of its own: stopping the shared one would break other tests running at the same time.
  const postgres = await startPrivatePostgres({ t });
  const fleet = await startCollectorFleet(t, postgres.url, 2, { balancerConfig: 'proxy_next_upstream off;' });
  const proxy = await startRecordingProxy(t, fleet.balancer.url);
  const appWsUrl = await startFleetApp(t, proxy.url, AGENT_EXPORT_TIMEOUT);
  const load = runFleetClients(
    t,
    proxy.url,
    appWsUrl,
    'restart-clients',
    { counts: countsPerPath(1), concurrency: 4, durationMs: 8_000 },
    AGENT_EXPORT_TIMEOUT,
  );
  await waitFor(() => proxy.attempts.filter((attempt) => attempt.status === 200).length >= 3, { timeoutMs: 60_000, message: 'load under way' });

  await postgres.stop();
  const attemptsAtStop = proxy.attempts.length;
  for (const instance of fleet.instances) {
    const answer = await fetch(`${instance.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: probeSpanBody() });
    assert.equal(answer.status, 503, `${instance.name} while PostgreSQL is down`);
    assert.match(answer.headers.get('retry-after') ?? '', /^\d+$/, `${instance.name}: Retry-After`);
    assert.equal(((await answer.json()) as { error: { code: string } }).error.code, 'store_unavailable');
    assert.equal(await ready(instance), 503, `${instance.name} reports not ready`);
    assert.equal((await fetch(`${instance.url}/healthz`)).status, 200, `${instance.name} still serves`);
  }
  // Down until the agents' own exports were refused too (condition, not a fixed time).
  await waitFor(() => proxy.attempts.slice(attemptsAtStop).some((attempt) => attempt.status === 503), {
    timeoutMs: 20_000,
    message: 'an agent export answered 503',
  });
  await postgres.start();

  await waitFor(async () => (await Promise.all(fleet.instances.map(ready))).every((status) => status === 200), {
    timeoutMs: 30_000,
    message: 'both collectors ready again, by themselves',
  });
  const made = countsPerCause(await load);
  const db = new pg.Client({ connectionString: postgres.url });
  // The server stops before this client ends (cleanups run in order): its goodbye is expected.
  db.on('error', () => {});
  await db.connect();
  t.after(() => db.end());
  const expected = JSON.stringify(sortedCounts(made));
  await waitFor(async () => JSON.stringify(await storedByCause(db, 'restart-clients')) === expected, {
    timeoutMs: 60_000,
    intervalMs: 500,
    message: 'every connection made stored, final, with both sides',
  }).catch(async (error: Error) => assert.fail(`${error.message}: stored ${JSON.stringify(await storedByCause(db, 'restart-clients'))}, made ${expected}`));
  const stored = await storedSpanIds(db);
  const acknowledged = proxy.acknowledged();
  assert.deepEqual(
    [...acknowledged].filter((id) => !stored.has(id)),
    [],
    'every span acknowledged with a 2xx is stored',
  );
  const refused = proxy.attempts.filter((attempt) => attempt.status === 503);
  assert.ok(
    refused.every((attempt) => attempt.retryAfter !== undefined),
    'every 503 carried Retry-After',
  );
  const retried = new Set(refused.flatMap((attempt) => attempt.spanIds));
  assert.deepEqual(
    [...retried].filter((id) => !acknowledged.has(id)),
    [],
    'every span of a refused export was delivered by a retry',
  );
  t.diagnostic(
    `connections made ${totalOf(made)}; exports ${proxy.attempts.length}, answered 503 while PostgreSQL was down: ${refused.length} (${retried.size} spans, all delivered by retries)`,
  );
});
