import type { AttributeValue } from '@closewatch/conventions';

export type Attributes = Record<string, AttributeValue | undefined>;

/**
 * OTLP/JSON AnyValue: numbers under keys ending in `ms` (the `_ms` durations, and their short keys in the
 * snippet) are doubles, other numbers int64 strings.
 */
function anyValue(value: AttributeValue, key: string | number): object {
  return typeof value == 'string'
    ? { stringValue: value }
    : typeof value == 'boolean'
      ? { boolValue: value }
      : Array.isArray(value)
        ? { arrayValue: { values: value.map(anyValue) } }
        : /ms$/.test(key as string)
          ? { doubleValue: value }
          : { intValue: '' + value };
}

/**
 * Serialises an OTLP/JSON payload whose `attributes` are plain objects (as the agent keeps them): each
 * becomes a KeyValue list, without the undefined values.
 */
export function otlpJson(payload: object): string {
  return JSON.stringify(payload, function encodeAttributes(key, value: Attributes) {
    return key == 'attributes'
      ? Object.keys(value)
          .filter((name) => value[name] !== undefined)
          .map((name) => ({ key: name, value: anyValue(value[name] as AttributeValue, name) }))
      : value;
  });
}

/**
 * Milliseconds since the epoch (sub-millisecond, monotonic in the page) as OTLP's uint64 nanosecond
 * string. Doubles this large (> 2^53) are whole numbers, and print without exponent below 1e21.
 */
export function nowUnixNano(): string {
  return '' + (performance.timeOrigin + performance.now()) * 1e6;
}
