import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { tempDatabaseOrSkip } from '@closewatch/test/harness';
import { JoinSweeper } from '../../src/join/join-sweeper.js';
import type { CollectorConfig } from '../../src/config.js';
import { clientSpan, otlpJsonBody, serverSpanFor, type SpanSpec } from './otlp-fixtures.js';
import type { TestCollector } from './test-collector.js';

/** A client that saw 1006 and a server that terminated the socket (classified from both sides), starting at `startMs`. */
export function terminatedPair(startMs = Date.now() - 5_000): [SpanSpec, SpanSpec] {
  const client = clientSpan({ startMs }, { 'websocket.close.code': 1006, 'websocket.close.was_clean': false, 'websocket.close.initiator': 'unknown' });
  const server = serverSpanFor(client, {
    'websocket.close.code': 1006,
    'websocket.close.was_clean': false,
    'websocket.close.initiator': 'server',
    'websocket.termination': 'terminate',
  });
  return [client, server];
}

/** POSTs the spans as OTLP/JSON and expects 200. */
export async function send(collector: TestCollector, spans: SpanSpec[]): Promise<void> {
  const response = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    body: otlpJsonBody(spans),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(response.status, 200, await response.text());
}

/** The connection id of a client span (and of the server span that names it as parent). */
export function idOf(client: SpanSpec): string {
  return `${client.traceId}-${client.spanId}`;
}

/** A sweeper on the collector's store, metrics and clock, swept by hand. */
export function sweeperOf(collector: TestCollector): JoinSweeper {
  const { store, metrics, clock } = collector.deps;
  return new JoinSweeper({ store, metrics, now: () => clock.now() }, { intervalMs: 1000 });
}

/** closewatch_ws_closes_total summed per cause (the labels other than cause added up). */
export async function closesByCause(collector: TestCollector): Promise<Record<string, number>> {
  const metric = await collector.deps.metrics.registry.getSingleMetric('closewatch_ws_closes_total')!.get();
  const byCause: Record<string, number> = {};
  for (const sample of metric.values) byCause[String(sample.labels.cause)] = (byCause[String(sample.labels.cause)] ?? 0) + sample.value;
  return byCause;
}

/** Every connection counted in closewatch_ws_closes_total. */
export async function closesCounted(collector: TestCollector): Promise<number> {
  return Object.values(await closesByCause(collector)).reduce((sum, count) => sum + count, 0);
}

/** A JSON read of the collector's REST API that must answer 200. */
export async function apiGet<T>(collector: TestCollector, path: string): Promise<T> {
  const response = await fetch(`${collector.url}/api/v1${path}`);
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return JSON.parse(text) as T;
}

/** The API summary's count per cause over the given query (default: the last 24 h). */
export async function apiByCause(collector: TestCollector, query = ''): Promise<Record<string, number>> {
  const summary = await apiGet<{ byCause: Array<{ cause: string; count: number }> }>(collector, `/summary${query}`);
  return Object.fromEntries(summary.byCause.map(({ cause, count }) => [cause, count]));
}

/** The two stores a join behaviour is tested on: a DuckDB data directory, and PostgreSQL when it is reachable. */
export const STORES = ['DuckDB', 'PostgreSQL'] as const;

/** Config overrides for one store kind (a fresh temp database for PostgreSQL), or null to skip it. */
export async function storeConfig(t: TestContext, kind: (typeof STORES)[number]): Promise<Partial<CollectorConfig> | null> {
  if (kind === 'DuckDB') return {};
  const database = await tempDatabaseOrSkip(t);
  return database ? { databaseUrl: database.url } : null;
}
