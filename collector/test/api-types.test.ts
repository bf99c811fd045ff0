import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type {
  CauseInfo,
  CausesResponse,
  CloseListItem,
  ClosePageResponse,
  ConnectionDetail,
  PlacedSide,
  PublicConfig,
  SummaryResponse,
  TimeseriesPoint,
  TimeseriesResponse,
} from '@closewatch/conventions';
import { makeTempDir, type TempDir } from '@closewatch/test/harness';
import { seedConnections, seedId, STANDARD_SEED, startTestCollector, type TestCollector } from './api-fixtures.js';

// The API's response types live in conventions; the router checks its bodies against them with `satisfies`
// and the dashboard reads the same types. Each key list below must name every key of its type (a key added to
// or removed from the type fails the type-check), and each response must carry exactly those keys, so the
// type, the router and the dashboard cannot drift apart (docs/design.md, Decisions: one home for the API types).

/** Every key of T, each exactly once: `{ a: true, b: true }` for `{ a; b? }`; anything else does not compile. */
function keysOf<T>(keys: { [K in keyof Required<T>]: true }): string[] {
  return Object.keys(keys).sort();
}

const SUMMARY_KEYS = keysOf<SummaryResponse>({
  from: true,
  to: true,
  total: true,
  closes1006: true,
  rate1006: true,
  byPhase: true,
  byCause: true,
  byCode: true,
  topRoutes: true,
  topServices: true,
  byObserver: true,
});
const TIMESERIES_KEYS = keysOf<TimeseriesResponse>({ from: true, to: true, bucketMs: true, points: true });
const POINT_KEYS = keysOf<TimeseriesPoint>({ t: true, total: true, closes1006: true, rate1006: true, byCause: true });
const CLOSE_PAGE_KEYS = keysOf<ClosePageResponse>({ from: true, to: true, items: true, nextCursor: true });
const CLOSE_ITEM_KEYS = keysOf<CloseListItem>({
  id: true,
  traceId: true,
  cause: true,
  evidence: true,
  service: true,
  route: true,
  code: true,
  reason: true,
  phase: true,
  observedBy: true,
  startTimeMs: true,
  endTimeMs: true,
  handshakeMs: true,
  openMs: true,
  appProtocol: true,
  appReason: true,
});
const DETAIL_KEYS = keysOf<ConnectionDetail>({
  id: true,
  traceId: true,
  client: true,
  server: true,
  joinDeadlineMs: true,
  final: true,
  finalizedAtMs: true,
  outcome: true,
  cause: true,
  closeCode: true,
  appCloseCode: true,
  probeCommand: true,
  snapshot: true,
});
const SIDE_KEYS = keysOf<PlacedSide>({
  side: true,
  traceId: true,
  spanId: true,
  parentSpanId: true,
  service: true,
  resource: true,
  scope: true,
  startTimeMs: true,
  endTimeMs: true,
  attributes: true,
  events: true,
  receivedAtMs: true,
  clockOffsetMs: true,
});
const CAUSES_KEYS = keysOf<CausesResponse>({ causes: true });
const CAUSE_KEYS = keysOf<CauseInfo>({ id: true, phase: true, title: true, explanation: true, remediation: true });
const PUBLIC_CONFIG_KEYS = keysOf<PublicConfig>({
  publicUrl: true,
  agentUrl: true,
  ingestKeyRequired: true,
  browserKey: true,
  adminTokenRequired: true,
  readTokenRequired: true,
  writesRefused: true,
});

let dir: TempDir;
let collector: TestCollector;

async function getBody(path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${collector.url}${path}`);
  assert.equal(response.status, 200, path);
  return (await response.json()) as Record<string, unknown>;
}

function assertKeys(value: unknown, expected: string[], what: string): void {
  assert.ok(value !== null && typeof value === 'object', `${what} is an object`);
  assert.deepEqual(Object.keys(value).sort(), expected, `${what} carries exactly the keys of its type`);
}

before(async () => {
  dir = makeTempDir('api-types');
  collector = await startTestCollector(dir.path);
  await seedConnections(collector.store, STANDARD_SEED);
});

after(async () => {
  await collector?.close();
  await dir?.remove();
});

test('summary, timeseries and closes answer with exactly the keys of their conventions types', async () => {
  assertKeys(await getBody('/api/v1/summary'), SUMMARY_KEYS, 'GET /summary');
  const series = await getBody('/api/v1/timeseries');
  assertKeys(series, TIMESERIES_KEYS, 'GET /timeseries');
  const points = series.points as unknown[];
  assert.ok(points.length > 0);
  for (const point of points) assertKeys(point, POINT_KEYS, 'a timeseries point');
  const page = await getBody('/api/v1/closes');
  assertKeys(page, CLOSE_PAGE_KEYS, 'GET /closes');
  const items = page.items as unknown[];
  assert.ok(items.length > 0);
  for (const item of items) assertKeys(item, CLOSE_ITEM_KEYS, 'a close list item');
});

test('a connection, the causes and the public config answer with exactly the keys of their conventions types', async () => {
  const detail = await getBody(`/api/v1/closes/${seedId(0)}`);
  assertKeys(detail, DETAIL_KEYS, 'GET /closes/:id');
  for (const side of [detail.client, detail.server]) assertKeys(side, SIDE_KEYS, 'a side of the connection');
  assertKeys(
    detail.outcome,
    CLOSE_ITEM_KEYS.filter((key) => key !== 'id' && key !== 'traceId'),
    'the outcome',
  );
  const taxonomy = await getBody('/api/v1/causes');
  assertKeys(taxonomy, CAUSES_KEYS, 'GET /causes');
  for (const cause of taxonomy.causes as unknown[]) assertKeys(cause, CAUSE_KEYS, 'a cause');
  assertKeys(await getBody('/api/v1/config/public'), PUBLIC_CONFIG_KEYS, 'GET /config/public');
});
