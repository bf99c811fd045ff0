import type { AttributeValue, Attributes } from '@opentelemetry/api';
import type { CompactSpan } from './compact-span.js';
import type { ProtoWriter } from './proto-writer.js';

// Field numbers of opentelemetry/proto/trace/v1/trace.proto and common/v1/common.proto.
const SPAN_TRACE_ID = 1;
const SPAN_SPAN_ID = 2;
const SPAN_PARENT_SPAN_ID = 4;
const SPAN_NAME = 5;
const SPAN_KIND = 6;
const SPAN_START_TIME = 7;
const SPAN_END_TIME = 8;
const SPAN_ATTRIBUTES = 9;
const SPAN_DROPPED_ATTRIBUTES = 10;
const SPAN_EVENTS = 11;
const SPAN_DROPPED_EVENTS = 12;
const SPAN_STATUS = 15;
const SPAN_FLAGS = 16;
const EVENT_TIME = 1;
const EVENT_NAME = 2;
const EVENT_ATTRIBUTES = 3;
const STATUS_MESSAGE = 2;
const STATUS_CODE = 3;
const KEY_VALUE_KEY = 1;
const KEY_VALUE_VALUE = 2;
const ANY_STRING = 1;
const ANY_BOOL = 2;
const ANY_INT = 3;
const ANY_DOUBLE = 4;
const ANY_ARRAY = 5;
const ARRAY_VALUES = 1;
const RESOURCE_ATTRIBUTES = 1;
const SCOPE_NAME = 1;
const SCOPE_VERSION = 2;

/** OTLP span flags: the context's is-remote bit is known (HAS_IS_REMOTE), and set when the parent is remote. */
const FLAGS_HAS_IS_REMOTE = 0x100;
const FLAGS_IS_REMOTE = 0x200;

const TWO_32 = 0x1_0000_0000;
const NANOS_PER_SECOND = 1e9;

/**
 * Writes `epochMs + offsetMs` as fixed64 nanoseconds since the epoch, computed as the SDK computes
 * span times (whole seconds and rounded nanoseconds of each part, then added), in exact integer
 * halves: nanosecond times exceed 2^53.
 */
function writeTime(writer: ProtoWriter, field: number, epochMs: number, offsetMs: number): void {
  let seconds = Math.trunc(epochMs / 1000) + Math.trunc(offsetMs / 1000);
  let nanos = Math.round((epochMs % 1000) * 1e6) + Math.round((offsetMs % 1000) * 1e6);
  if (nanos >= NANOS_PER_SECOND) {
    nanos -= NANOS_PER_SECOND;
    seconds += 1;
  } else if (nanos < 0) {
    nanos += NANOS_PER_SECOND;
    seconds -= 1;
  }
  // seconds * 1e9 + nanos, with seconds split in 16-bit halves so every product stays below 2^53.
  const upper = Math.floor(seconds / 0x10000) * NANOS_PER_SECOND;
  const lowerPart = (seconds % 0x10000) * NANOS_PER_SECOND + nanos;
  const upperLow = (upper % 0x10000) * 0x10000;
  const low = upperLow + (lowerPart % TWO_32);
  const high = Math.floor(upper / 0x10000) + Math.floor(lowerPart / TWO_32) + Math.floor(low / TWO_32);
  writer.fixed64(field, high, low % TWO_32);
}

function writeAnyValue(writer: ProtoWriter, field: number, value: unknown): void {
  const mark = writer.beginMessage(field);
  switch (typeof value) {
    case 'string':
      writer.string(ANY_STRING, value);
      break;
    case 'boolean':
      writer.bool(ANY_BOOL, value);
      break;
    case 'number':
      if (Number.isInteger(value)) writer.varint(ANY_INT, value);
      else writer.double(ANY_DOUBLE, value);
      break;
    default:
      if (Array.isArray(value)) {
        const array = writer.beginMessage(ANY_ARRAY);
        for (const item of value) writeAnyValue(writer, ARRAY_VALUES, item);
        writer.endMessage(array);
      }
  }
  writer.endMessage(mark);
}

function writeKeyValue(writer: ProtoWriter, field: number, key: string, value: AttributeValue | undefined): void {
  const mark = writer.beginMessage(field);
  writer.string(KEY_VALUE_KEY, key);
  writeAnyValue(writer, KEY_VALUE_VALUE, value);
  writer.endMessage(mark);
}

function writeAttributes(writer: ProtoWriter, field: number, attributes: Attributes | undefined): void {
  if (!attributes) return;
  for (const key of Object.keys(attributes)) writeKeyValue(writer, field, key, attributes[key]);
}

function writeTraceId(writer: ProtoWriter, span: CompactSpan): void {
  if (span.traceIdHex !== undefined) {
    writer.hexBytes(SPAN_TRACE_ID, span.traceIdHex);
    return;
  }
  writer.words(SPAN_TRACE_ID, span.traceId0, span.traceId1, span.traceId2, span.traceId3);
}

/**
 * One ended span as the body of an OTLP `Span` message: the fields the SDK's transformer writes for
 * the same span, in field order (span-encoder.test.ts decodes both and compares).
 */
export function encodeSpan(writer: ProtoWriter, span: CompactSpan): void {
  writeTraceId(writer, span);
  writer.words(SPAN_SPAN_ID, span.spanIdHigh, span.spanIdLow);
  if (span.parentSpanId !== undefined) writer.hexBytes(SPAN_PARENT_SPAN_ID, span.parentSpanId);
  writer.string(SPAN_NAME, span.name);
  // The API's kinds start at INTERNAL = 0; OTLP's at UNSPECIFIED = 0.
  writer.varint(SPAN_KIND, span.kind + 1);
  writeTime(writer, SPAN_START_TIME, span.startEpochMs, 0);
  writeTime(writer, SPAN_END_TIME, span.startEpochMs, span.endPerformance - span.startPerformance);
  const { keys, values } = span;
  for (let i = 0; i < keys.length; i++) writeKeyValue(writer, SPAN_ATTRIBUTES, keys[i], values[i]);
  if (span.droppedAttributes > 0) writer.varint(SPAN_DROPPED_ATTRIBUTES, span.droppedAttributes);
  for (const event of span.events ?? []) {
    const mark = writer.beginMessage(SPAN_EVENTS);
    writeTime(writer, EVENT_TIME, span.startEpochMs, event.time - span.startPerformance);
    writer.string(EVENT_NAME, event.name);
    writeAttributes(writer, EVENT_ATTRIBUTES, event.attributes);
    writer.endMessage(mark);
  }
  if (span.droppedEvents > 0) writer.varint(SPAN_DROPPED_EVENTS, span.droppedEvents);
  const status = writer.beginMessage(SPAN_STATUS);
  if (span.statusMessage) writer.string(STATUS_MESSAGE, span.statusMessage);
  writer.varint(STATUS_CODE, span.statusCode);
  writer.endMessage(status);
  writer.fixed32(SPAN_FLAGS, (span.traceFlags & 0xff) | FLAGS_HAS_IS_REMOTE | (span.parentIsRemote ? FLAGS_IS_REMOTE : 0));
}

/** A `Resource` message body of these attributes. */
export function encodeResource(writer: ProtoWriter, attributes: Attributes): void {
  writeAttributes(writer, RESOURCE_ATTRIBUTES, attributes);
}

/** An `InstrumentationScope` message body. */
export function encodeScope(writer: ProtoWriter, name: string, version: string): void {
  writer.string(SCOPE_NAME, name);
  if (version) writer.string(SCOPE_VERSION, version);
}
