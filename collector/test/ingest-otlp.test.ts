import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { waitFor } from '@closewatch/test/harness';
import {
  clientSpan,
  decodeExportResponse,
  decodeRpcStatus,
  otlpJson,
  otlpJsonBody,
  otlpProtobufBody,
  serverSpanFor,
  type SpanSpec,
} from './support/otlp-fixtures.js';
import { ManualClock, metricValue, startTestCollector } from './support/test-collector.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const PROTO_TYPE = { 'content-type': 'application/x-protobuf' };

function post(url: string, body: Buffer | string, headers: Record<string, string> = JSON_TYPE): Promise<Response> {
  return fetch(url, { method: 'POST', body, headers });
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

function idOf(client: SpanSpec): string {
  return `${client.traceId}-${client.spanId}`;
}

describe('OTLP/HTTP ingest conformance', () => {
  it('stores a joined connection sent as OTLP/JSON and answers an empty ExportTraceServiceResponse', async (t) => {
    const collector = await startTestCollector(t);
    const client = clientSpan();
    const response = await post(`${collector.url}/v1/traces`, otlpJsonBody([client, serverSpanFor(client)]));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await response.json(), {});
    const record = await collector.deps.store.getConnection(idOf(client));
    assert.ok(record?.final, 'the connection is final once both sides arrived');
    assert.equal(record.outcome?.cause, 'normal_closure');
    assert.equal(record.outcome?.observedBy, 'both');
    assert.equal(await metricValue(collector.deps, 'closewatch_ingest_spans_total', { result: 'accepted' }), 2);
  });

  it('stores OTLP/protobuf and answers in protobuf; gzip works for both encodings', async (t) => {
    const collector = await startTestCollector(t);
    const cases: Array<[Record<string, string>, (spans: SpanSpec[]) => Buffer, boolean]> = [
      [PROTO_TYPE, otlpProtobufBody, false],
      [{ ...PROTO_TYPE, 'content-encoding': 'gzip' }, otlpProtobufBody, true],
      [{ ...JSON_TYPE, 'content-encoding': 'gzip' }, otlpJsonBody, true],
    ];
    for (const [headers, encode, gzipped] of cases) {
      const client = clientSpan({}, { 'websocket.propagated': false });
      const body = encode([client]);
      const response = await post(`${collector.url}/v1/traces`, gzipped ? gzipSync(body) : body, headers);
      assert.equal(response.status, 200, JSON.stringify(headers));
      if (headers['content-type'] === PROTO_TYPE['content-type']) {
        assert.equal(response.headers.get('content-type'), 'application/x-protobuf');
        assert.equal(decodeExportResponse(await response.arrayBuffer()).partialSuccess, undefined);
      }
      const record = await collector.deps.store.getConnection(idOf(client));
      assert.equal(record?.final, true, 'a client span without propagation is final at once');
      assert.equal(record.outcome?.observedBy, 'client');
    }
  });

  it('answers partial success with rejectedSpans and a message for invalid spans in a valid request', async (t) => {
    const collector = await startTestCollector(t);
    const good = clientSpan({}, { 'websocket.propagated': false });
    const bad = clientSpan({ traceId: '0'.repeat(32) });
    const json = await post(`${collector.url}/v1/traces`, otlpJsonBody([good, bad]));
    assert.equal(json.status, 200);
    const body = (await json.json()) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    assert.equal(Number(body.partialSuccess.rejectedSpans), 1);
    assert.match(body.partialSuccess.errorMessage, /traceId/);
    assert.ok(await collector.deps.store.getConnection(idOf(good)), 'the valid span is stored');

    const proto = await post(`${collector.url}/v1/traces`, otlpProtobufBody([clientSpan({ spanId: '0'.repeat(16) })]), PROTO_TYPE);
    assert.equal(proto.status, 200);
    const decoded = decodeExportResponse(await proto.arrayBuffer());
    assert.equal(Number(decoded.partialSuccess?.rejectedSpans), 1);
    assert.match(decoded.partialSuccess?.errorMessage ?? '', /spanId/);
    assert.equal(await metricValue(collector.deps, 'closewatch_ingest_spans_total', { result: 'rejected' }), 2);
  });

  it('accepts other spans and ignores them (counted)', async (t) => {
    const collector = await startTestCollector(t);
    const response = await post(`${collector.url}/v1/traces`, otlpJsonBody([clientSpan({ name: 'GET /index.html' })]));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {});
    assert.equal(await metricValue(collector.deps, 'closewatch_ingest_spans_total', { result: 'ignored' }), 1);
  });

  it('answers 400 with a clear message for malformed bodies, as JSON or as a protobuf Status', async (t) => {
    const collector = await startTestCollector(t);
    const json = await post(`${collector.url}/v1/traces`, '{"resourceSpans": [');
    assert.equal(json.status, 400);
    const error = await errorOf(json);
    assert.equal(error.code, 'invalid_otlp');
    assert.match(error.message, /invalid JSON/);
    const notGzip = await post(`${collector.url}/v1/traces`, 'plain', { ...JSON_TYPE, 'content-encoding': 'gzip' });
    assert.equal(notGzip.status, 400);
    const proto = await post(`${collector.url}/v1/traces`, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), PROTO_TYPE);
    assert.equal(proto.status, 400);
    assert.equal(proto.headers.get('content-type'), 'application/x-protobuf');
    const status = decodeRpcStatus(await proto.arrayBuffer());
    assert.equal(status.code, 3);
    assert.match(status.message ?? '', /invalid_otlp: .*invalid protobuf/);
  });

  it('answers 415 for other media types and content encodings, 405 for other methods', async (t) => {
    const collector = await startTestCollector(t);
    const text = await post(`${collector.url}/v1/traces`, '{}', { 'content-type': 'text/plain' });
    assert.equal(text.status, 415);
    assert.match((await errorOf(text)).message, /application\/json or application\/x-protobuf/);
    const brotli = await post(`${collector.url}/v1/traces`, '{}', { ...JSON_TYPE, 'content-encoding': 'br' });
    assert.equal(brotli.status, 415);
    const get = await fetch(`${collector.url}/v1/traces`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST, OPTIONS');
    assert.equal((await errorOf(get)).code, 'method_not_allowed');
    const beaconPut = await fetch(`${collector.url}/v1/beacon`, { method: 'PUT', body: '{}' });
    assert.equal(beaconPut.status, 405);
  });

  it('answers 413 over the size limit, also when only the decompressed body is too large (gzip bomb)', async (t) => {
    const collector = await startTestCollector(t, { maxBodyBytes: 64 * 1024 });
    const large = await post(`${collector.url}/v1/traces`, Buffer.alloc(65 * 1024, 0x20));
    assert.equal(large.status, 413);
    // 64 MB of zeros compress to about 64 KB; refusing it must not inflate it all.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const bombCollector = await startTestCollector(t, { maxBodyBytes: 1024 * 1024 });
    assert.ok(bomb.length < 1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const refused = await post(`${bombCollector.url}/v1/traces`, bomb, { ...JSON_TYPE, 'content-encoding': 'gzip' });
    assert.equal(refused.status, 413);
    assert.match((await errorOf(refused)).message, /once decompressed/);
    assert.ok(process.memoryUsage().rss - rssBefore < 48 * 1024 * 1024, 'the bomb was not inflated in memory');
  });

  it('takes the same JSON as text/plain on /v1/beacon (sendBeacon), with the key in the query', async (t) => {
    const collector = await startTestCollector(t, { ingestKeys: ['browser-key'] });
    const client = clientSpan({}, { 'websocket.propagated': false });
    const refused = await post(`${collector.url}/v1/beacon`, JSON.stringify(otlpJson([client])), { 'content-type': 'text/plain;charset=UTF-8' });
    assert.equal(refused.status, 401);
    const response = await post(`${collector.url}/v1/beacon?key=browser-key`, JSON.stringify(otlpJson([client])), {
      'content-type': 'text/plain;charset=UTF-8',
    });
    assert.equal(response.status, 200);
    assert.ok(await collector.deps.store.getConnection(idOf(client)));
  });
});

describe('ingest keys, origins and CORS', () => {
  it('checks the key before reading the body', async (t) => {
    const collector = await startTestCollector(t, { ingestKeys: ['k1', 'k2'] });
    const noKey = await post(`${collector.url}/v1/traces`, 'this is not even JSON');
    assert.equal(noKey.status, 401, 'a missing key wins over a malformed body');
    assert.match((await errorOf(noKey)).message, /x-closewatch-key/);
    const wrongKey = await post(`${collector.url}/v1/traces`, '{}', { ...JSON_TYPE, 'x-closewatch-key': 'nope' });
    assert.equal(wrongKey.status, 401);
    const ok = await post(`${collector.url}/v1/traces`, '{}', { ...JSON_TYPE, 'x-closewatch-key': 'k2' });
    assert.equal(ok.status, 200);
  });

  it('allows only listed origins, answers preflight and exposes responses to allowed pages', async (t) => {
    const collector = await startTestCollector(t, { allowedOrigins: ['https://app.example'] });
    const preflight = await fetch(`${collector.url}/v1/traces`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /content-type.*x-closewatch-key/);
    const allowed = await post(`${collector.url}/v1/traces`, '{}', { ...JSON_TYPE, origin: 'https://app.example' });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(allowed.headers.get('access-control-expose-headers'), 'Retry-After');
    const foreign = await post(`${collector.url}/v1/traces`, 'garbage', { ...JSON_TYPE, origin: 'https://evil.example' });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
    const foreignPreflight = await fetch(`${collector.url}/v1/beacon`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    assert.equal(foreignPreflight.status, 403);
    const serverAgent = await post(`${collector.url}/v1/traces`, '{}');
    assert.equal(serverAgent.status, 200, 'requests without Origin (server agents) are not origin-checked');
  });
});

describe('backpressure', () => {
  it('rate-limits per client with 429 and Retry-After', async (t) => {
    const clock = new ManualClock();
    const collector = await startTestCollector(t, { rateLimitPerSecond: 1, rateLimitBurst: 2 }, clock);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 3; i++) {
      const response = await post(`${collector.url}/v1/traces`, '{}');
      statuses.push(response.status);
      retryAfter ??= response.headers.get('retry-after');
    }
    assert.deepEqual(statuses, [200, 200, 429]);
    assert.ok(Number(retryAfter) >= 1);
    const otherKey = await post(`${collector.url}/v1/traces`, '{}', { ...JSON_TYPE, 'x-closewatch-key': 'another' });
    assert.equal(otherKey.status, 200, 'another key has its own bucket');
    clock.ms += 1000;
    assert.equal((await post(`${collector.url}/v1/traces`, '{}')).status, 200, 'the bucket refills with time');
  });

  it('answers 429 with Retry-After while too many requests are in flight', async (t) => {
    const collector = await startTestCollector(t, { maxInFlightRequests: 1 });
    const body = otlpJsonBody([clientSpan({}, { 'websocket.propagated': false })]);
    const slow = httpRequest(`${collector.url}/v1/traces`, { method: 'POST', headers: { ...JSON_TYPE, 'content-length': body.length } });
    const slowResponse = new Promise<number>((resolve, reject) => {
      slow.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      slow.on('error', reject);
    });
    t.after(() => slow.destroy());
    slow.write(body.subarray(0, 10));
    const busy = await waitFor(
      async () => {
        const response = await post(`${collector.url}/v1/traces`, '{}');
        return response.status === 429 ? response : null;
      },
      { message: 'a 429 while the first request is in flight' },
    );
    assert.equal(busy.headers.get('retry-after'), '1');
    assert.equal((await errorOf(busy)).code, 'overloaded');
    slow.end(body.subarray(10));
    assert.equal(await slowResponse, 200);
    assert.equal((await post(`${collector.url}/v1/traces`, '{}')).status, 200);
  });

  it('answers 503 with Retry-After when the store fails, and keeps serving /healthz', async (t) => {
    const collector = await startTestCollector(t);
    await collector.deps.store.close();
    const response = await post(`${collector.url}/v1/traces`, otlpJsonBody([clientSpan()]));
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '5');
    assert.equal((await errorOf(response)).code, 'store_unavailable');
    assert.equal((await fetch(`${collector.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${collector.url}/readyz`)).status, 503);
  });
});
