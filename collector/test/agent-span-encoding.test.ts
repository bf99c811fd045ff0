// The Node agent's own OTLP encoding (issue #20, docs/design.md "The agent's own export"): a span the
// agent encodes itself decodes, in the collector's protobuf schema and in the collector's reading,
// to exactly what the OpenTelemetry SDK path (SDK span + otlp-transformer) produces for the same
// connection. Times may differ by the SDK's float rounding only (< 1 µs); everything else is equal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ATTR_BYTES_RECEIVED,
  ATTR_CLOSE_CODE,
  ATTR_CLOSE_REASON,
  ATTR_CLOSE_WAS_CLEAN,
  ATTR_ERROR_TYPE,
  ATTR_HANDSHAKE_DURATION_MS,
  ATTR_OPENED,
  ATTR_PHASE,
  ATTR_ROUTE,
  ATTR_SUBPROTOCOLS_REQUESTED,
  ATTR_URL_FULL,
  EVENT_CLOSE_FRAME_SENT,
  EVENT_ERROR,
  EVENT_OPEN,
  RESOURCE_SERVICE_INSTANCE_ID,
  SPAN_NAME_CONNECTION,
} from '@closewatch/conventions';
import {
  CompactSpan,
  ProtoWriter,
  encodeMessage,
  encodeResource,
  encodeScope,
  encodeSpan,
  exportTraceRequestBody,
  type CompactSpanLimits,
} from '@closewatch/agent-node/otlp';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Attributes, type Span } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type IdGenerator } from '@opentelemetry/sdk-trace-base';
import protobuf from 'protobufjs';
import type { StoredSide } from '@closewatch/conventions';
import { ExportTraceServiceRequest } from '../src/ingest/otlp-schema.js';
import { readSpan, readSpanContext } from '../src/ingest/read-span.js';

const SCOPE = { name: '@closewatch/agent-node', version: '0.1.0' };
const RESOURCE: Attributes = { [RESOURCE_SERVICE_INSTANCE_ID]: '6c1f0d4e-8a52-4f3b-9b1e-3d9c8e0a7f21', 'service.name': 'chat', 'process.pid': 4242 };
const LIMITS: CompactSpanLimits = { attributeCountLimit: 128, attributeValueLengthLimit: Infinity, eventCountLimit: 128 };

/** What one connection's instrumentation does to its span, written once and applied to both kinds of span. */
interface Shape {
  name: string;
  kind: SpanKind;
  parent?: { traceId: string; spanId: string; sampled: boolean };
  /** Applied to the span; `at(ms)` is the epoch time `ms` after the start (fractions of a millisecond included). */
  record(span: Span, at: (ms: number) => number): void;
  durationMs: number;
}

const SHAPES: Shape[] = [
  {
    name: 'server, clean close, no parent',
    kind: SpanKind.SERVER,
    durationMs: 1234.567891,
    record(span, at) {
      span.setAttribute(ATTR_URL_FULL, 'ws://127.0.0.1:8080/chat?room=1');
      span.setAttribute(ATTR_ROUTE, '/chat');
      span.setAttribute(ATTR_OPENED, true);
      span.setAttribute(ATTR_HANDSHAKE_DURATION_MS, 1.25);
      span.setAttribute(ATTR_BYTES_RECEIVED, 0);
      span.addEvent(EVENT_OPEN, {}, at(1.25));
      span.setAttribute(ATTR_CLOSE_CODE, 1000);
      span.setAttribute(ATTR_CLOSE_WAS_CLEAN, true);
      span.setAttribute(ATTR_PHASE, 'open');
    },
  },
  {
    name: 'server, child of a browser traceparent, 1006 with events and error status',
    kind: SpanKind.SERVER,
    parent: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', sampled: true },
    durationMs: 98765.4321,
    record(span, at) {
      span.setAttribute(ATTR_URL_FULL, 'wss://chat.example/ws?token=[REDACTED]');
      span.setAttribute(ATTR_SUBPROTOCOLS_REQUESTED, ['graphql-transport-ws', 'graphql-ws']);
      span.setAttribute(ATTR_BYTES_RECEIVED, 2 ** 40);
      span.setAttribute(ATTR_HANDSHAKE_DURATION_MS, -0.5);
      span.addEvent(EVENT_ERROR, { [ATTR_ERROR_TYPE]: 'ECONNRESET', ['exception.message']: 'read ECONNRESET — peer gone 🔌' }, at(90000.125));
      span.addEvent(EVENT_CLOSE_FRAME_SENT, { [ATTR_CLOSE_CODE]: 1009 }, at(90001));
      span.setAttribute(ATTR_CLOSE_CODE, 1006);
      span.setAttribute(ATTR_CLOSE_REASON, 'x'.repeat(200) + 'é');
      span.setAttribute(ATTR_ERROR_TYPE, 'ECONNRESET');
      span.setAttribute(ATTR_ERROR_TYPE, 'socket_hang_up');
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'socket_hang_up' });
    },
  },
  {
    name: 'client, handshake failure, a reason of 130 bytes and a negative int',
    kind: SpanKind.CLIENT,
    durationMs: 0.001,
    record(span) {
      span.setAttribute(ATTR_URL_FULL, 'ws://[::1]:9/');
      span.setAttribute(ATTR_OPENED, false);
      span.setAttribute(ATTR_CLOSE_REASON, 'ü'.repeat(65));
      span.setAttribute('app.offset', -3);
      span.setAttribute('app.big_negative', -(2 ** 40) - 7);
      span.setAttribute(ATTR_PHASE, 'handshake');
      span.setStatus({ code: SpanStatusCode.OK });
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'ignored after OK' });
    },
  },
];

/** The compact span and its bytes, then the SDK span for the same connection (same ids and times) and its bytes. */
function encodeBoth(shape: Shape): { compact: Uint8Array; sdk: Uint8Array } {
  let ended: CompactSpan | undefined;
  const parentContext = shape.parent
    ? trace.setSpanContext(ROOT_CONTEXT, {
        traceId: shape.parent.traceId,
        spanId: shape.parent.spanId,
        traceFlags: shape.parent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
        isRemote: true,
      })
    : ROOT_CONTEXT;
  const compact = new CompactSpan({ onEnd: (span) => (ended = span) }, LIMITS, SPAN_NAME_CONNECTION, shape.kind, trace.getSpanContext(parentContext));
  const start = compact.startEpochMs;
  shape.record(compact, (ms) => start + ms);
  compact.end(start + shape.durationMs);
  assert.ok(ended, 'the compact span reached its sink');

  // Framed as the agent's queue frames a batch.
  const compactBody = exportTraceRequestBody(
    encodeMessage((writer) => encodeResource(writer, RESOURCE)),
    encodeMessage((writer) => encodeScope(writer, SCOPE.name, SCOPE.version)),
    [encodeMessage((writer) => encodeSpan(writer, ended!))],
  );

  const context = compact.spanContext();
  const ids: IdGenerator = { generateTraceId: () => context.traceId, generateSpanId: () => context.spanId };
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(RESOURCE),
    idGenerator: ids,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const sdkSpan = provider.getTracer(SCOPE.name, SCOPE.version).startSpan(SPAN_NAME_CONNECTION, { kind: shape.kind, startTime: start }, parentContext);
  shape.record(sdkSpan, (ms) => start + ms);
  sdkSpan.end(start + shape.durationMs);
  const sdkBytes = ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans());
  assert.ok(sdkBytes);
  return { compact: compactBody, sdk: sdkBytes };
}

interface Decoded {
  resourceSpans: { resource: { attributes: unknown[] }; scopeSpans: { scope: unknown; spans: Record<string, unknown>[] }[] }[];
}

function decode(bytes: Uint8Array): Decoded {
  const message = ExportTraceServiceRequest.decode(bytes);
  return ExportTraceServiceRequest.toObject(message, { longs: String, bytes: String, defaults: true, arrays: true }) as Decoded;
}

const TIME_FIELDS = ['startTimeUnixNano', 'endTimeUnixNano'];

/** Nanosecond strings within 1 µs of each other (the SDK adds float milliseconds); then removed for the exact comparison. */
function assertTimesClose(compact: Record<string, unknown>, sdk: Record<string, unknown>, where: string): void {
  for (const field of [...TIME_FIELDS, 'timeUnixNano']) {
    if (!(field in compact) && !(field in sdk)) continue;
    const difference = BigInt(compact[field] as string) - BigInt(sdk[field] as string);
    assert.ok(difference >= -1000n && difference <= 1000n, `${where}.${field}: ${String(compact[field])} vs ${String(sdk[field])}`);
    delete compact[field];
    delete sdk[field];
  }
}

for (const shape of SHAPES) {
  test(`agent encoding equals the SDK's: ${shape.name}`, () => {
    const { compact, sdk } = encodeBoth(shape);
    const ours = decode(compact);
    const theirs = decode(sdk);
    const ourSpan = ours.resourceSpans[0].scopeSpans[0].spans[0];
    const theirSpan = theirs.resourceSpans[0].scopeSpans[0].spans[0];
    assert.ok(BigInt(ourSpan.endTimeUnixNano as string) > 1_600_000_000_000_000_000n, 'times are epoch nanoseconds');
    assertTimesClose(ourSpan, theirSpan, 'span');
    const ourEvents = ourSpan.events as Record<string, unknown>[];
    const theirEvents = theirSpan.events as Record<string, unknown>[];
    assert.equal(ourEvents.length, theirEvents.length);
    ourEvents.forEach((event, i) => assertTimesClose(event, theirEvents[i], `events[${i}]`));
    assert.deepEqual(ours, theirs);

    // And what the collector reads from each: the stored side is the same, times to 0.01 ms.
    const reading = (decoded: Uint8Array): StoredSide => {
      const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(decoded), { longs: String, bytes: String, arrays: true }) as Decoded;
      const group = request.resourceSpans[0];
      const context = readSpanContext(group.resource.attributes, group.scopeSpans[0].scope as { name: string }, 1_700_000_000_000);
      const result = readSpan(group.scopeSpans[0].spans[0], context);
      assert.equal(result.result, 'accepted');
      return (result as { span: StoredSide }).span;
    };
    const ourReading = reading(compact);
    const theirReading = reading(sdk);
    const roundTimes = (side: StoredSide): StoredSide => ({
      ...side,
      startTimeMs: Math.round(side.startTimeMs * 100),
      endTimeMs: Math.round(side.endTimeMs * 100),
      events: side.events.map((event) => ({ ...event, timeMs: Math.round(event.timeMs * 100) })),
    });
    assert.ok(ourReading.attributes[ATTR_URL_FULL], 'the collector read the attributes');
    assert.deepEqual(roundTimes(ourReading), roundTimes(theirReading));
  });
}

test('ProtoWriter: varints, negative int64, fixed64 and long strings decode as protobufjs wrote them', () => {
  const type = protobuf.Type.fromJSON('Probe', {
    fields: {
      small: { type: 'uint64', id: 1 },
      large: { type: 'uint64', id: 2 },
      negative: { type: 'int64', id: 3 },
      time: { type: 'fixed64', id: 4 },
      text: { type: 'string', id: 5 },
      flag: { type: 'bool', id: 6 },
      ratio: { type: 'double', id: 7 },
    },
  });
  const writer = new ProtoWriter(4);
  writer.varint(1, 127);
  writer.varint(2, 2 ** 53 - 1);
  writer.varint(3, -(2 ** 40) - 7);
  writer.fixed64(4, 0x17f0_0000, 0x1234_5678);
  writer.string(5, '🔌'.repeat(100));
  writer.bool(6, true);
  writer.double(7, 0.1);
  const decoded = type.toObject(type.decode(writer.finish()), { longs: String });
  assert.deepEqual(decoded, {
    small: '127',
    large: String(2 ** 53 - 1),
    negative: String(-(2 ** 40) - 7),
    time: String((0x17f0_0000n << 32n) + 0x1234_5678n),
    text: '🔌'.repeat(100),
    flag: true,
    ratio: 0.1,
  });
});
