/**
 * An OTLP trace request as both decoders leave it: protobufjs messages and parsed OTLP/JSON share the
 * lowerCamelCase field names; they differ only in how ids, int64 and bytes are represented, which the
 * readers in otlp-values.ts accept in either form. Everything is `unknown` until validated.
 */
export interface RawAnyValue {
  stringValue?: unknown;
  boolValue?: unknown;
  intValue?: unknown;
  doubleValue?: unknown;
  arrayValue?: { values?: unknown } | null;
  kvlistValue?: { values?: unknown } | null;
  bytesValue?: unknown;
}

export interface RawKeyValue {
  key?: unknown;
  value?: RawAnyValue | null;
}

export interface RawEvent {
  timeUnixNano?: unknown;
  name?: unknown;
  attributes?: unknown;
}

export interface RawSpan {
  traceId?: unknown;
  spanId?: unknown;
  parentSpanId?: unknown;
  name?: unknown;
  kind?: unknown;
  startTimeUnixNano?: unknown;
  endTimeUnixNano?: unknown;
  attributes?: unknown;
  events?: unknown;
}

export interface RawScopeSpans {
  scope?: { name?: unknown; version?: unknown } | null;
  spans: RawSpan[];
}

export interface RawResourceSpans {
  resource?: { attributes?: unknown } | null;
  scopeSpans: RawScopeSpans[];
}

/** A decoded request: its resource spans, with the structure (arrays where arrays belong) checked. */
export interface DecodedTraceRequest {
  resourceSpans: RawResourceSpans[];
  spanCount: number;
}

/** The two OTLP/HTTP encodings; the response is sent in the request's. */
export type OtlpEncoding = 'json' | 'protobuf';
