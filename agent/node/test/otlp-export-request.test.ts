import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExportTraceServiceResponse } from '../../../collector/src/ingest/otlp-schema.js';
import { exportTraceRequestBody } from '../src/otlp/export-request.js';
import { partialSuccessOf } from '../src/otlp/export-response.js';
import { batchSettings, exportSettings } from '../src/otlp/export-settings.js';
import { Backoff, retryAfterMillis } from '../src/otlp/retry-policy.js';
import { decodeRequest, encodeResource, encodeScope, encodeSpan, stringAttributes, testSpans } from './otlp-test-spans.js';

test('an export request framed around encoded spans decodes (protobufjs, the collector schema) to one resource, one scope and every span in order', () => {
  const spans = testSpans(3);
  spans[1].attributes = { 'websocket.close.reason': 'bye', 'long.value': 'x'.repeat(300) };
  const body = exportTraceRequestBody(
    encodeResource({ 'service.name': 'chat', 'service.instance.id': 'a1' }),
    encodeScope('@closewatch/agent-node', '0.1.0'),
    spans.map(encodeSpan),
  );
  const request = decodeRequest(body);
  assert.equal(request.resourceSpans.length, 1);
  const [resourceSpans] = request.resourceSpans;
  assert.deepEqual(stringAttributes(resourceSpans.resource?.attributes), [
    ['service.name', 'chat'],
    ['service.instance.id', 'a1'],
  ]);
  assert.equal(resourceSpans.scopeSpans.length, 1);
  const [scopeSpans] = resourceSpans.scopeSpans;
  assert.deepEqual(scopeSpans.scope, { name: '@closewatch/agent-node', version: '0.1.0' });
  const decoded = scopeSpans.spans ?? [];
  assert.deepEqual(
    decoded.map((span) => [span.traceId, span.spanId, span.name, span.kind]),
    spans.map((span) => [span.traceId, span.spanId, span.name, 2]),
  );
  assert.equal(decoded[0].startTimeUnixNano, String(0x17d7_8400n * 2n ** 32n + 0x1234_5678n));
  assert.deepEqual(stringAttributes(decoded[1].attributes), [
    ['websocket.close.reason', 'bye'],
    ['long.value', 'x'.repeat(300)],
  ]);
});

test('many spans (lengths of several varint bytes at every level) still frame correctly', () => {
  const spans = testSpans(600, 'bulk');
  const body = exportTraceRequestBody(encodeResource({}), encodeScope('s', '1'), spans.map(encodeSpan));
  const decoded = decodeRequest(body).resourceSpans[0].scopeSpans[0].spans ?? [];
  assert.equal(decoded.length, 600);
  assert.equal(decoded[599].name, 'bulk-599');
  assert.equal(decoded[599].spanId, spans[599].spanId);
});

test('an empty resource still yields a ResourceSpans with the scope and spans', () => {
  const body = exportTraceRequestBody(new Uint8Array(0), encodeScope('s', '1'), testSpans(1).map(encodeSpan));
  const request = decodeRequest(body);
  assert.equal(request.resourceSpans[0].scopeSpans[0].spans?.[0]?.name, 'span-0');
});

test('a partial success is read from the protobuf response; an empty or plain one is none', () => {
  const encoded = ExportTraceServiceResponse.encode({ partialSuccess: { rejectedSpans: 3, errorMessage: 'too old' } }).finish();
  assert.deepEqual(partialSuccessOf(encoded), { rejectedSpans: 3, errorMessage: 'too old' });
  assert.equal(partialSuccessOf(new Uint8Array(0)), undefined);
  assert.equal(partialSuccessOf(ExportTraceServiceResponse.encode({ partialSuccess: {} }).finish()), undefined);
  assert.equal(partialSuccessOf(Buffer.from('{"partialSuccess":{}}')), undefined, 'a JSON body is no protobuf partial success');
});

test('Retry-After: delay-seconds, an HTTP date, and the past', () => {
  assert.equal(retryAfterMillis(undefined), undefined);
  assert.equal(retryAfterMillis('2'), 2000);
  assert.equal(retryAfterMillis('0'), 0);
  const inTenSeconds = retryAfterMillis(new Date(Date.now() + 10_000).toUTCString());
  assert.ok(inTenSeconds !== undefined && inTenSeconds > 8000 && inTenSeconds <= 10_000, `HTTP date in 10 s read as ${inTenSeconds}`);
  assert.equal(retryAfterMillis(new Date(Date.now() - 10_000).toUTCString()), 0);
});

test('the backoff is the SDK exporter one: 1 s times 1.5 per retry, capped at 5 s, jitter ±20 %', () => {
  const middle = new Backoff(() => 0.5);
  assert.deepEqual(
    Array.from({ length: 6 }, () => middle.nextDelay()),
    [1000, 1500, 2250, 3375, 5000, 5000],
  );
  const low = new Backoff(() => 0);
  assert.equal(low.nextDelay(), 800);
  const high = new Backoff(() => 1);
  assert.equal(high.nextDelay(), 1200);
});

test('settings come from the standard variables, with the agent delay of 1 s and the SDK defaults otherwise', () => {
  assert.deepEqual(batchSettings({}), { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 1000 });
  assert.deepEqual(batchSettings({ OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '500', OTEL_BSP_SCHEDULE_DELAY: '250' }), {
    maxQueueSize: 100,
    maxExportBatchSize: 100,
    scheduledDelayMillis: 250,
  });
  assert.deepEqual(exportSettings({}), { timeoutMillis: 10_000, compression: 'none' });
  assert.deepEqual(exportSettings({ OTEL_EXPORTER_OTLP_TIMEOUT: '3000', OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' }), {
    timeoutMillis: 3000,
    compression: 'gzip',
  });
  assert.deepEqual(
    exportSettings({
      OTEL_EXPORTER_OTLP_TIMEOUT: '3000',
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '4000',
      OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'none',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
    }),
    { timeoutMillis: 4000, compression: 'none' },
  );
  assert.deepEqual(exportSettings({ OTEL_EXPORTER_OTLP_TIMEOUT: '-5', OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli' }), {
    timeoutMillis: 10_000,
    compression: 'none',
  });
});
