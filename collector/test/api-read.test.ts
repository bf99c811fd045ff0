import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CAUSE_IDS,
  type CausesResponse,
  type ClosePageResponse,
  type ConnectionDetail,
  type PublicConfig,
  type SummaryResponse,
  type TimeseriesResponse,
} from '@closewatch/conventions';
import { makeTempDir, type TempDir } from '@closewatch/test/harness';
import { NOW, seedConnections, seedId, STANDARD_SEED, startTestCollector, type TestCollector } from './api-fixtures.js';
import { fetchJson, jsonOf, type ErrorBody, type JsonAnswer } from './support/json-answer.js';

const HOUR = 3_600_000;
let dir: TempDir;
let collector: TestCollector;

/** GET a path of the collector under test, its JSON body as `T`. */
function getJson<T>(path: string): Promise<JsonAnswer<T>> {
  return fetchJson<T>(`${collector.url}${path}`);
}

before(async () => {
  dir = makeTempDir('api-read');
  collector = await startTestCollector(dir.path);
  await seedConnections(collector.store, STANDARD_SEED);
});

after(async () => {
  await collector?.close();
  await dir?.remove();
});

describe('GET /api/v1/summary', () => {
  test('defaults to the last 24 h and counts totals, the 1006 rate, phases, causes, codes and routes', async () => {
    const { status, body } = await getJson<SummaryResponse>('/api/v1/summary');
    assert.equal(status, 200);
    assert.equal(body.from, NOW - 24 * HOUR);
    assert.equal(body.to, NOW);
    assert.equal(body.total, 10);
    assert.equal(body.closes1006, 6);
    assert.equal(body.rate1006, 0.6);
    const phase = Object.fromEntries(body.byPhase.map((p) => [p.phase, [p.total, p.closes1006]]));
    assert.deepEqual(phase.handshake, [2, 2]);
    assert.deepEqual(phase.open, [8, 4]);
    const cause = Object.fromEntries(body.byCause.map((c) => [c.cause, c.count]));
    assert.deepEqual(cause, { intermediary_timeout: 4, handshake_auth_rejected: 2, normal_closure: 3, server_rejected_frame: 1 });
    assert.equal(body.byCause.find((c) => c.cause === 'intermediary_timeout')?.share, 0.4);
    const codes = Object.fromEntries(body.byCode.map((c) => [String(c.code), c.count]));
    assert.deepEqual(codes, { 1006: 6, 1000: 3, 1009: 1 });
    assert.deepEqual(
      body.topRoutes.map((r) => [r.service, r.route, r.total, r.rate1006]).sort(),
      [
        ['chat', '/rooms/:id', 6, 1],
        ['feed', '/live', 3, 0],
        ['feed', '/upload', 1, 0],
      ].sort(),
    );
    assert.deepEqual(body.topServices.map((s) => [s.service, s.total, s.closes1006]).sort(), [
      ['chat', 6, 6],
      ['feed', 4, 0],
    ]);
  });

  test('every filter narrows the rows it names', async () => {
    const cases: Array<[string, number, number]> = [
      ['service=feed', 4, 0],
      ['route=%2Frooms%2F%3Aid', 6, 6],
      ['code=1006', 6, 6],
      ['code=1009', 1, 0],
      ['phase=handshake', 2, 2],
      ['cause=normal_closure', 3, 0],
      ['side=client', 8, 5],
      ['side=server', 7, 6],
      ['side=both', 5, 5],
      ['service=chat&phase=open', 4, 4],
      ['service=nobody', 0, 0],
    ];
    for (const [query, total, closes1006] of cases) {
      const { status, body } = await getJson<SummaryResponse>(`/api/v1/summary?${query}`);
      assert.equal(status, 200, query);
      assert.deepEqual([body.total, body.closes1006], [total, closes1006], query);
    }
  });

  test('from/to accept relative, ISO 8601 and ms-epoch times alike', async () => {
    const fourDays = await getJson<SummaryResponse>('/api/v1/summary?from=now-4d');
    assert.equal(fourDays.body.total, 11);
    const iso = new Date(NOW - 4 * 24 * HOUR).toISOString();
    const viaIso = await getJson<SummaryResponse>(`/api/v1/summary?from=${encodeURIComponent(iso)}&to=${NOW}`);
    assert.equal(viaIso.body.total, 11);
    assert.equal(viaIso.body.from, NOW - 4 * 24 * HOUR);
    const window = await getJson<SummaryResponse>(`/api/v1/summary?from=now-90m&to=now-30m`);
    assert.equal(window.body.total, 1, 'only the connection that ended 1 h ago');
  });
});

describe('invalid filters', () => {
  const invalid: Array<[string, string]> = [
    ['/api/v1/summary?from=yesterday', 'from="yesterday"'],
    ['/api/v1/summary?to=2026-13-45', 'to="2026-13-45"'],
    ['/api/v1/summary?from=now-1h&to=now-2h', 'from="now-1h"'],
    ['/api/v1/summary?phase=midair', 'phase="midair"'],
    ['/api/v1/summary?cause=gremlins', 'cause="gremlins"'],
    ['/api/v1/summary?side=left', 'side="left"'],
    ['/api/v1/summary?code=abc', 'code="abc"'],
    ['/api/v1/summary?code=999', 'code="999"'],
    ['/api/v1/summary?service=a&service=b', 'service='],
    ['/api/v1/closes?limit=0', 'limit="0"'],
    ['/api/v1/closes?limit=100000', 'limit="100000"'],
    ['/api/v1/closes?cursor=not-a-cursor', 'cursor'],
    ['/api/v1/timeseries?bucket=1ms', 'bucket="1ms"'],
    ['/api/v1/timeseries?from=now-14d&bucket=10s', 'bucket="10s"'],
  ];
  for (const [path, named] of invalid) {
    test(`${path} → 400 invalid_filter naming ${named}`, async () => {
      const { status, body } = await getJson<ErrorBody>(path);
      assert.equal(status, 400);
      assert.equal(body.error.code, 'invalid_filter');
      assert.ok(body.error.message.includes(named), body.error.message);
    });
  }
});

describe('GET /api/v1/timeseries', () => {
  test('picks a bucket from the range when none is given and sums to the summary', async () => {
    const { status, body } = await getJson<TimeseriesResponse>('/api/v1/timeseries');
    assert.equal(status, 200);
    assert.equal(body.bucketMs, 15 * 60_000);
    assert.ok(body.points.length <= 120);
    assert.equal(
      body.points.reduce((n: number, p) => n + p.total, 0),
      10,
    );
    assert.equal(
      body.points.reduce((n: number, p) => n + (p.byCause.intermediary_timeout ?? 0), 0),
      4,
    );
    assert.equal(
      body.points.reduce((n: number, p) => n + p.closes1006, 0),
      6,
    );
  });

  test('honours an explicit bucket and the filters', async () => {
    const { body } = await getJson<TimeseriesResponse>('/api/v1/timeseries?bucket=1h&service=chat');
    assert.equal(body.bucketMs, HOUR);
    assert.equal(
      body.points.reduce((n: number, p) => n + p.total, 0),
      6,
    );
    const week = await getJson<TimeseriesResponse>('/api/v1/timeseries?from=now-7d');
    assert.equal(week.body.bucketMs, 3 * HOUR);
  });
});

describe('GET /api/v1/closes', () => {
  test('pages newest first with a cursor until the last page', async () => {
    const seen: string[] = [];
    const ends: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=3&cursor=${encodeURIComponent(cursor)}` : 'limit=3';
      const { status, body } = await getJson<ClosePageResponse>(`/api/v1/closes?${query}`);
      assert.equal(status, 200);
      assert.ok(body.items.length <= 3);
      for (const item of body.items) {
        seen.push(item.id);
        ends.push(item.endTimeMs);
      }
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    assert.equal(pages, 4);
    assert.equal(seen.length, 10);
    assert.equal(new Set(seen).size, 10);
    assert.deepEqual(
      ends,
      [...ends].sort((a, b) => b - a),
    );
    assert.equal(seen[0], seedId(0), 'the connection that ended 1 h ago comes first');
  });

  test('applies filters to the list', async () => {
    const { body } = await getJson<ClosePageResponse>('/api/v1/closes?cause=handshake_auth_rejected');
    assert.deepEqual(body.items.map((i) => i.id).sort(), [seedId(4), seedId(5)].sort());
    assert.equal(body.nextCursor, null);
    assert.equal(body.items[0].phase, 'handshake');
  });
});

describe('GET /api/v1/closes/:id', () => {
  test('returns both sides, the cause with its remediation, the code meaning and a probe command', async () => {
    const { status, body } = await getJson<ConnectionDetail>(`/api/v1/closes/${seedId(0)}`);
    assert.equal(status, 200);
    assert.equal(body.id, seedId(0));
    assert.equal(body.client?.side, 'client');
    assert.equal(body.server?.side, 'server');
    assert.equal(body.server.service, 'chat');
    assert.equal(body.outcome?.cause, 'intermediary_timeout');
    assert.deepEqual(body.outcome.evidence, ['Both sides saw an abrupt end after 60 s idle.']);
    assert.equal(body.cause?.id, 'intermediary_timeout');
    assert.ok(body.cause.title.length > 3);
    assert.ok(body.cause.explanation.length > 20);
    assert.ok(body.cause.remediation.length > 20);
    assert.equal(body.closeCode?.code, 1006);
    assert.equal(body.closeCode.name, 'Abnormal Closure');
    assert.equal(body.probeCommand, "closewatch probe 'wss://chat.example.com/rooms/42?room=42&token=REDACTED'");
  });

  test('builds the probe URL from the server side when only the server reported', async () => {
    const { body } = await getJson<ConnectionDetail>(`/api/v1/closes/${seedId(9)}`);
    assert.equal(body.client, null);
    assert.equal(body.probeCommand, "closewatch probe 'ws://feed.example.com/upload'");
  });

  test('a lookup that misses does not spoil the next one (JSON columns read through a reused statement)', async () => {
    assert.equal((await getJson<ErrorBody>('/api/v1/closes/missing-first')).status, 404);
    const { status, body } = await getJson<ConnectionDetail>(`/api/v1/closes/${seedId(1)}`);
    assert.equal(status, 200);
    assert.equal(body.client?.attributes['websocket.route'], '/rooms/:id');
    assert.deepEqual(body.outcome?.evidence, ['seeded as intermediary_timeout']);
  });

  test('an unknown id is a 404 in the catalog shape', async () => {
    const { status, body } = await getJson<ErrorBody>('/api/v1/closes/does-not-exist');
    assert.equal(status, 404);
    assert.equal(body.error.code, 'not_found');
    assert.match(body.error.message, /does-not-exist/);
  });
});

describe('taxonomy, public config and unknown routes', () => {
  test('GET /api/v1/causes lists every cause id with title, explanation and remediation', async () => {
    const { status, body } = await getJson<CausesResponse>('/api/v1/causes');
    assert.equal(status, 200);
    assert.deepEqual(
      body.causes.map((c) => c.id),
      [...CAUSE_IDS],
    );
    for (const cause of body.causes) {
      assert.ok(cause.title && cause.explanation && cause.remediation, cause.id);
    }
  });

  test('GET /api/v1/config/public says what the Setup page needs', async () => {
    const { body } = await getJson<PublicConfig>('/api/v1/config/public');
    assert.deepEqual(body, {
      publicUrl: 'http://127.0.0.1:4318',
      agentUrl: 'http://127.0.0.1:4318/agent.js',
      ingestKeyRequired: false,
      browserKey: null,
      adminTokenRequired: false,
      readTokenRequired: false,
      writesRefused: false,
    });
  });

  test('unknown API routes answer 404 JSON, not the dashboard', async () => {
    for (const path of ['/api/v1/nope', '/api/v2/summary', '/api']) {
      const response = await fetch(`${collector.url}${path}`);
      assert.equal(response.status, 404, path);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      assert.equal((await jsonOf<ErrorBody>(response)).error.code, 'not_found');
    }
  });
});
