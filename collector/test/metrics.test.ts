import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { promtool, startPrometheus } from '@closewatch/test/harness';
import { OTHER_LABEL_VALUE } from '../src/metrics/label-cap.js';
import { clientSpan, otlpJsonBody, serverSpanFor, type SpanSpec } from './support/otlp-fixtures.js';
import { metricValue, startTestCollector, type TestCollector } from './support/test-collector.js';

async function send(collector: TestCollector, spans: SpanSpec[]): Promise<void> {
  const response = await fetch(`${collector.url}/v1/traces`, { method: 'POST', body: otlpJsonBody(spans), headers: { 'content-type': 'application/json' } });
  assert.equal(response.status, 200);
}

/** A mix of closes: clean ones on several routes, server terminations, and one side still pending. */
async function ingestMix(collector: TestCollector): Promise<void> {
  const spans: SpanSpec[] = [];
  for (let i = 0; i < 6; i++) {
    const client = clientSpan({}, { 'websocket.route': `/route-${i}` });
    spans.push(client, serverSpanFor(client, { 'websocket.route': `/route-${i}` }));
  }
  const broken = clientSpan({}, { 'websocket.close.code': 1006, 'websocket.close.was_clean': false, 'websocket.close.initiator': 'unknown' });
  spans.push(
    broken,
    serverSpanFor(broken, {
      'websocket.close.code': 1006,
      'websocket.close.was_clean': false,
      'websocket.close.initiator': 'server',
      'websocket.termination': 'terminate',
    }),
  );
  spans.push(clientSpan());
  await send(collector, spans);
}

describe('metrics', () => {
  it('exports the docs/design.md metrics, with route labels capped, and promtool finds nothing to fix', async (t) => {
    const collector = await startTestCollector(t, { maxRouteLabels: 3 });
    await ingestMix(collector);
    const response = await fetch(`${collector.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const name of [
      'closewatch_ws_closes_total',
      'closewatch_ws_handshake_duration_seconds',
      'closewatch_ws_connection_duration_seconds',
      'closewatch_ingest_spans_total',
      'closewatch_ingest_requests_total',
      'closewatch_join_pending',
      'closewatch_join_expired_total',
      'closewatch_join_overflow_total',
      'closewatch_store_operation_duration_seconds',
      'closewatch_alerts_firing',
      'closewatch_process_cpu_seconds_total',
    ]) {
      assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
    }
    assert.match(text, /^closewatch_join_pending 1$/m);
    assert.match(text, /closewatch_store_operation_duration_seconds_count\{operation="upsert_sides"\} [1-9]/);
    const routes = new Set([...text.matchAll(/closewatch_ws_closes_total\{[^}]*route="([^"]*)"/g)].map((match) => match[1]));
    assert.equal(routes.size, 4, `three routes and ${OTHER_LABEL_VALUE}: ${[...routes].join(', ')}`);
    assert.ok(routes.has(OTHER_LABEL_VALUE));
    assert.equal(await metricValue(collector.deps, 'closewatch_ws_closes_total', { cause: 'server_terminated' }), 1);

    const check = await promtool(['check', 'metrics'], text);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.equal((check.stdout + check.stderr).trim(), '', 'promtool reports no lint problem');
  });

  it('is scraped by a real Prometheus, which sees closes by cause', async (t) => {
    const collector = await startTestCollector(t);
    await ingestMix(collector);
    const prometheus = await startPrometheus({ scrapeTargets: [new URL(collector.url).host], t });
    const samples = await prometheus.waitForSeries('sum by (cause) (closewatch_ws_closes_total)', (found) => found.length >= 2, 30_000);
    const byCause = Object.fromEntries(samples.map((sample) => [sample.metric.cause, sample.value]));
    assert.equal(byCause.normal_closure, 6);
    assert.equal(byCause.server_terminated, 1);
  });
});
