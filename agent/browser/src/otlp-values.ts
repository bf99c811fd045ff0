import type { AttributeValue } from '@closewatch/conventions';

export type Attributes = Record<string, AttributeValue | undefined>;

/** OTLP/JSON KeyValue list: numbers under keys ending in `_ms` are doubles, other numbers int64 strings. */
export function keyValues(attributes: Attributes): object[] {
  const list: object[] = [];
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined) continue;
    list.push({
      key,
      value:
        typeof value === 'string'
          ? { stringValue: value }
          : typeof value === 'boolean'
            ? { boolValue: value }
            : Array.isArray(value)
              ? { arrayValue: { values: value.map((item) => ({ stringValue: item })) } }
              : /_ms$/.test(key)
                ? { doubleValue: value }
                : { intValue: String(value) },
    });
  }
  return list;
}

/**
 * Milliseconds since the epoch (sub-millisecond, monotonic in the page) as OTLP's uint64 nanosecond
 * string. Doubles this large (> 2^53) are whole numbers, and print without exponent below 1e21.
 */
export function nowUnixNano(): string {
  return String((performance.timeOrigin + performance.now()) * 1e6);
}
