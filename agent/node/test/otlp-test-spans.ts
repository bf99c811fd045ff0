// Encoded OTLP pieces for the exporter tests, written with the agent's ProtoWriter, and a decoder that
// shares no code with it: protobufjs over the OTLP messages the collector decodes.
import { ExportTraceServiceRequest } from '../../../collector/src/ingest/otlp-schema.js';
import { ProtoWriter } from '../src/otlp/proto-writer.js';

export interface TestSpan {
  traceId: string;
  spanId: string;
  name: string;
  attributes?: Record<string, string>;
}

function keyValue(writer: ProtoWriter, field: number, key: string, value: string): void {
  const pair = writer.beginMessage(field);
  writer.string(1, key);
  const any = writer.beginMessage(2);
  writer.string(1, value);
  writer.endMessage(any);
  writer.endMessage(pair);
}

/** The fields of one `Span` (ids, name, kind server, fixed times, string attributes), without tag and length. */
export function encodeSpan(span: TestSpan): Uint8Array {
  const writer = new ProtoWriter(64);
  writer.hexBytes(1, span.traceId);
  writer.hexBytes(2, span.spanId);
  writer.string(5, span.name);
  writer.varint(6, 2);
  writer.fixed64(7, 0x17d7_8400, 0x1234_5678);
  writer.fixed64(8, 0x17d7_8400, 0x2234_5678);
  for (const [key, value] of Object.entries(span.attributes ?? {})) keyValue(writer, 9, key, value);
  return writer.finish();
}

/** A `Resource` with string attributes. */
export function encodeResource(attributes: Record<string, string>): Uint8Array {
  const writer = new ProtoWriter(64);
  for (const [key, value] of Object.entries(attributes)) keyValue(writer, 1, key, value);
  return writer.finish();
}

/** An `InstrumentationScope`. */
export function encodeScope(name: string, version: string): Uint8Array {
  const writer = new ProtoWriter(64);
  writer.string(1, name);
  writer.string(2, version);
  return writer.finish();
}

/** `count` spans with ids derived from `seed`, named `${prefix}-${i}`. */
export function testSpans(count: number, prefix = 'span', seed = 1): TestSpan[] {
  return Array.from({ length: count }, (_, i) => ({
    traceId: (seed * 1000 + i + 1).toString(16).padStart(32, '0'),
    spanId: (seed * 1000 + i + 1).toString(16).padStart(16, '0'),
    name: `${prefix}-${i}`,
  }));
}

interface DecodedKeyValue {
  key: string;
  value: { stringValue?: string };
}

export interface DecodedSpan {
  traceId: string;
  spanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: DecodedKeyValue[];
}

export interface DecodedRequest {
  resourceSpans: {
    resource?: { attributes?: DecodedKeyValue[] };
    scopeSpans: { scope?: { name?: string; version?: string }; spans?: DecodedSpan[] }[];
  }[];
}

/** An ExportTraceServiceRequest body as plain objects: ids in hex, 64-bit numbers as decimal strings. */
export function decodeRequest(body: Uint8Array): DecodedRequest {
  const message = ExportTraceServiceRequest.decode(body);
  const plain = ExportTraceServiceRequest.toObject(message, { longs: String, bytes: String, arrays: false }) as DecodedRequest;
  for (const resourceSpans of plain.resourceSpans ?? []) {
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        span.traceId = Buffer.from(span.traceId, 'base64').toString('hex');
        span.spanId = Buffer.from(span.spanId, 'base64').toString('hex');
      }
    }
  }
  return plain;
}

/** The names of every span in a body, in order. */
export function spanNames(body: Uint8Array): string[] {
  return decodeRequest(body).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => (ss.spans ?? []).map((span) => span.name)));
}

/** `[key, value]` pairs of string attributes. */
export function stringAttributes(attributes: DecodedKeyValue[] | undefined): [string, string | undefined][] {
  return (attributes ?? []).map((attribute) => [attribute.key, attribute.value.stringValue]);
}
