import type { AttributeValue } from '@closewatch/conventions';
import { ATTRIBUTE_CAPS } from './attribute-caps.js';
import type { RawAnyValue, RawKeyValue } from './otlp-types.js';

const HEX = /^[0-9a-fA-F]+$/;
const ALL_ZERO = /^0+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * A trace or span id as lowercase hex of `byteLength` bytes, or null when absent, malformed or all zero.
 * Protobuf gives bytes; OTLP/JSON gives hex (some older exporters sent base64, accepted too).
 */
export function readId(value: unknown, byteLength: number): string | null {
  let hex: string | null = null;
  if (value instanceof Uint8Array) {
    if (value.byteLength === byteLength) hex = bytesToHex(value);
  } else if (typeof value === 'string') {
    if (value.length === byteLength * 2 && HEX.test(value)) hex = value.toLowerCase();
    else if (value.length === Math.ceil(byteLength / 3) * 4 && BASE64.test(value)) {
      const bytes = Buffer.from(value, 'base64');
      if (bytes.byteLength === byteLength) hex = bytes.toString('hex');
    }
  }
  return hex === null || ALL_ZERO.test(hex) ? null : hex;
}

/** True when an optional id field is absent: empty bytes or an empty string. */
export function isEmptyId(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (value instanceof Uint8Array) return value.byteLength === 0;
  // protobufjs decodes an absent bytes field (every root span's parentSpanId) as its default, a plain [].
  if (Array.isArray(value)) return value.length === 0;
  return value === '';
}

/** An int64 as a JS number: protobufjs gives a Long, OTLP/JSON a decimal string or a number. */
export function readInt64(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null;
  if (typeof value === 'string') {
    if (!/^-?\d+$/.test(value)) return null;
    return Number(value);
  }
  if (typeof value === 'bigint') return Number(value);
  if (value !== null && typeof value === 'object' && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
    return (value as { toNumber(): number }).toNumber();
  }
  return null;
}

/** A `*_unix_nano` timestamp in whole ms since the epoch (the stores keep integer ms); null when absent, zero or malformed. */
export function readUnixNanoAsMs(value: unknown): number | null {
  const nanos = readInt64(value);
  return nanos === null || nanos <= 0 ? null : Math.round(nanos / 1e6);
}

export function capString(value: string, max: number = ATTRIBUTE_CAPS.maxStringLength): string {
  return value.length > max ? value.slice(0, max) : value;
}

function has(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

function readScalar(value: RawAnyValue): string | number | boolean | null {
  if (has(value, 'stringValue')) return typeof value.stringValue === 'string' ? capString(value.stringValue) : null;
  if (has(value, 'boolValue')) return typeof value.boolValue === 'boolean' ? value.boolValue : null;
  if (has(value, 'intValue')) return readInt64(value.intValue);
  if (has(value, 'doubleValue')) {
    const d = value.doubleValue;
    if (typeof d === 'number') return d;
    // OTLP/JSON may spell non-finite doubles as strings.
    if (d === 'NaN' || d === 'Infinity' || d === '-Infinity') return Number(d);
    return null;
  }
  if (has(value, 'bytesValue')) {
    const b = value.bytesValue;
    if (b instanceof Uint8Array) return capString(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64'));
    return typeof b === 'string' ? capString(b) : null;
  }
  return null;
}

function readArray(values: unknown): AttributeValue | null {
  if (!Array.isArray(values)) return [];
  const items: Array<string | number | boolean> = [];
  for (const item of values.slice(0, ATTRIBUTE_CAPS.maxArrayItems)) {
    if (item === null || typeof item !== 'object') continue;
    const scalar = readScalar(item as RawAnyValue);
    if (scalar !== null) items.push(scalar);
  }
  const first = items[0];
  if (first === undefined) return [];
  // An attribute array is homogeneous; a mixed one is kept as strings.
  if (items.every((item) => typeof item === typeof first)) return items as string[] | number[] | boolean[];
  return items.map(String);
}

/** One OTLP AnyValue as an attribute value (nested key-value lists become capped JSON text), or null. */
export function readAnyValue(value: unknown): AttributeValue | null {
  if (value === null || typeof value !== 'object') return null;
  const raw = value as RawAnyValue;
  if (has(raw, 'arrayValue')) return readArray(raw.arrayValue?.values);
  if (has(raw, 'kvlistValue')) {
    const nested = readAttributes(raw.kvlistValue?.values, ATTRIBUTE_CAPS.maxAttributesPerEvent);
    return capString(JSON.stringify(nested));
  }
  return readScalar(raw);
}

/** An OTLP KeyValue list as a plain object, with keys, values and the number of attributes capped. */
export function readAttributes(list: unknown, maxAttributes: number): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  if (!Array.isArray(list)) return attributes;
  let count = 0;
  for (const entry of list as RawKeyValue[]) {
    if (count >= maxAttributes) break;
    if (entry === null || typeof entry !== 'object') continue;
    const key = entry.key;
    if (typeof key !== 'string' || key === '' || key === '__proto__' || key.length > ATTRIBUTE_CAPS.maxKeyLength) continue;
    const value = readAnyValue(entry.value);
    if (value === null) continue;
    if (!has(attributes, key)) count++;
    attributes[key] = value;
  }
  return attributes;
}
