import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ExportTraceServiceRequest, ExportTraceServiceResponse, RpcStatus } from '../../src/ingest/otlp-schema.js';

export type FixtureValue = string | number | boolean | string[];

export interface SpanSpec {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** CLIENT (3) or SERVER (2); other kinds for negative cases. */
  kind: number;
  name?: string;
  startMs: number;
  endMs: number;
  attributes?: Record<string, FixtureValue>;
  events?: Array<{ name: string; timeMs: number }>;
  service?: string;
}

export const KIND_SERVER = 2;
export const KIND_CLIENT = 3;

export function traceId(): string {
  return randomBytes(16).toString('hex');
}
export function spanId(): string {
  return randomBytes(8).toString('hex');
}

function nanos(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

function anyValue(value: FixtureValue): Record<string, unknown> {
  if (Array.isArray(value)) return { arrayValue: { values: value.map((item) => ({ stringValue: item })) } };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

function keyValues(attributes: Record<string, FixtureValue>): Array<Record<string, unknown>> {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

function jsonSpan(spec: SpanSpec): Record<string, unknown> {
  return {
    traceId: spec.traceId,
    spanId: spec.spanId,
    parentSpanId: spec.parentSpanId ?? '',
    name: spec.name ?? 'websocket.connection',
    kind: spec.kind,
    startTimeUnixNano: nanos(spec.startMs),
    endTimeUnixNano: nanos(spec.endMs),
    attributes: keyValues(spec.attributes ?? {}),
    events: (spec.events ?? []).map((event) => ({ name: event.name, timeUnixNano: nanos(event.timeMs) })),
  };
}

/** An OTLP/JSON ExportTraceServiceRequest: one resource per service, one scope. */
export function otlpJson(spans: SpanSpec[]): Record<string, unknown> {
  const byService = new Map<string, SpanSpec[]>();
  for (const span of spans) {
    const service = span.service ?? 'chat-api';
    byService.set(service, [...(byService.get(service) ?? []), span]);
  }
  return {
    resourceSpans: [...byService].map(([service, group]) => ({
      resource: { attributes: keyValues({ 'service.name': service }) },
      scopeSpans: [{ scope: { name: '@closewatch/test', version: '0.1.0' }, spans: group.map(jsonSpan) }],
    })),
  };
}

export function otlpJsonBody(spans: SpanSpec[]): Buffer {
  return Buffer.from(JSON.stringify(otlpJson(spans)));
}

function hexToBytes(hex: unknown): Buffer {
  return Buffer.from(typeof hex === 'string' ? hex : '', 'hex');
}

/** The same request in the protobuf encoding (ids as bytes), encoded with protobufjs. */
export function otlpProtobufBody(spans: SpanSpec[]): Buffer {
  const request = otlpJson(spans) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };
  for (const rs of request.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        span.traceId = hexToBytes(span.traceId);
        span.spanId = hexToBytes(span.spanId);
        span.parentSpanId = hexToBytes(span.parentSpanId);
      }
    }
  }
  const message = ExportTraceServiceRequest.fromObject(request);
  return Buffer.from(ExportTraceServiceRequest.encode(message).finish());
}

/** An ExportTraceServiceResponse as protobufjs's toJSON gives it: absent fields left out, int64 as a string. */
export interface ExportResponseJson {
  partialSuccess?: { rejectedSpans?: number | string; errorMessage?: string };
}

/** The ExportTraceServiceResponse of a protobuf answer. */
export function decodeExportResponse(body: ArrayBuffer): ExportResponseJson {
  return ExportTraceServiceResponse.decode(new Uint8Array(body)).toJSON();
}

/** A `google.rpc.Status` (the body of a protobuf error answer) as toJSON gives it. */
export interface RpcStatusJson {
  code?: number;
  message?: string;
}

/** The `google.rpc.Status` of a protobuf error answer. */
export function decodeRpcStatus(body: ArrayBuffer): RpcStatusJson {
  return RpcStatus.decode(new Uint8Array(body)).toJSON();
}

export function gzip(body: Buffer): Buffer {
  return gzipSync(body);
}

/** A browser-like client span that propagated its context, closed with `code`. */
export function clientSpan(overrides: Partial<SpanSpec> = {}, attributes: Record<string, FixtureValue> = {}): SpanSpec {
  const startMs = overrides.startMs ?? Date.now() - 5000;
  return {
    traceId: traceId(),
    spanId: spanId(),
    kind: KIND_CLIENT,
    startMs,
    endMs: startMs + 4000,
    service: 'chat-web',
    ...overrides,
    attributes: {
      'websocket.close.code': 1000,
      'websocket.close.was_clean': true,
      'websocket.close.initiator': 'client',
      'websocket.phase': 'open',
      'websocket.opened': true,
      'websocket.route': '/rooms/:id',
      'websocket.propagated': true,
      'websocket.handshake.duration_ms': 42,
      'websocket.open.duration_ms': 3900,
      ...attributes,
    },
  };
}

/** The server side of `client` (same trace, parent = the client span). */
export function serverSpanFor(client: SpanSpec, attributes: Record<string, FixtureValue> = {}): SpanSpec {
  return {
    traceId: client.traceId,
    spanId: spanId(),
    parentSpanId: client.spanId,
    kind: KIND_SERVER,
    startMs: client.startMs + 5,
    endMs: client.endMs - 5,
    service: 'chat-api',
    attributes: {
      'websocket.close.code': 1000,
      'websocket.close.was_clean': true,
      'websocket.close.initiator': 'client',
      'websocket.phase': 'open',
      'websocket.opened': true,
      'websocket.route': '/rooms/:id',
      'websocket.termination': 'close',
      ...attributes,
    },
  };
}
