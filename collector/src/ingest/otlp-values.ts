import type { AttributeValue } from '@closewatch/conventions';
import { ATTRIBUTE_CAPS } from './attribute-caps.js';
import { cutText, wellFormed } from '../well-formed-text.js';
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

/** A value at or past this magnitude did not come from a 64-bit integer (int64 or fixed64). */
const INT64_LIMIT = 2 ** 64;

/** An int64 as a JS number: protobufjs gives a Long, OTLP/JSON a decimal string or a number. Null past 64 bits. */
export function readInt64(value: unknown): number | null {
  let number: number | null = null;
  if (typeof value === 'number') number = Math.trunc(value);
  else if (typeof value === 'string') number = /^-?\d+$/.test(value) ? Number(value) : null;
  else if (typeof value === 'bigint') number = Number(value);
  else if (value !== null && typeof value === 'object' && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
    number = (value as { toNumber(): number }).toNumber();
  }
  // NaN and ±Infinity fail the comparison too
  return number !== null && Math.abs(number) < INT64_LIMIT ? number : null;
}

/**
 * A `*_unix_nano` timestamp in whole ms since the epoch (the stores keep integer ms); null when absent,
 * zero, negative, malformed or past 64 bits, so every time kept is a safe integer.
 */
export function readUnixNanoAsMs(value: unknown): number | null {
  const nanos = readInt64(value);
  return nanos === null || nanos <= 0 ? null : Math.round(nanos / 1e6);
}

/** A string value as stored: well-formed and at most `max` UTF-16 units. */
export function capString(value: string, max: number = ATTRIBUTE_CAPS.maxStringLength): string {
  return cutText(value, max);
}

function has(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

/** A kvlistValue nested deeper than ATTRIBUTE_CAPS.maxNestingDepth: the span is rejected. */
export class NestingTooDeep extends Error {}

function readDouble(d: unknown): number | string | null {
  if (typeof d === 'number') return Number.isFinite(d) ? d : String(d);
  // OTLP/JSON spells non-finite doubles as strings; they are kept so, since JSON has no number for them
  if (d === 'NaN' || d === 'Infinity' || d === '-Infinity') return d;
  return null;
}

function readScalar(value: RawAnyValue): string | number | boolean | null {
  if (has(value, 'stringValue')) return typeof value.stringValue === 'string' ? capString(value.stringValue) : null;
  if (has(value, 'boolValue')) return typeof value.boolValue === 'boolean' ? value.boolValue : null;
  if (has(value, 'intValue')) return readInt64(value.intValue);
  if (has(value, 'doubleValue')) return readDouble(value.doubleValue);
  if (has(value, 'bytesValue')) {
    const b = value.bytesValue;
    if (b instanceof Uint8Array) return capString(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64'));
    return typeof b === 'string' ? capString(b) : null;
  }
  return null;
}

/** Array items are scalars only (nested arrays and lists are skipped), so reading one never recurses. */
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

/**
 * One OTLP AnyValue as an attribute value (nested key-value lists become capped JSON text), or null.
 * `depth` is how many lists it sits in; past ATTRIBUTE_CAPS.maxNestingDepth it throws NestingTooDeep
 * before reading further (protobufjs stops deeper messages itself at its recursion limit of 100).
 */
export function readAnyValue(value: unknown, depth = 0): AttributeValue | null {
  if (value === null || typeof value !== 'object') return null;
  const raw = value as RawAnyValue;
  if (has(raw, 'arrayValue')) return readArray(raw.arrayValue?.values);
  if (has(raw, 'kvlistValue')) {
    if (depth >= ATTRIBUTE_CAPS.maxNestingDepth)
      throw new NestingTooDeep(`an attribute nests key-value lists deeper than ${ATTRIBUTE_CAPS.maxNestingDepth} levels`);
    const nested = readAttributes(raw.kvlistValue?.values, ATTRIBUTE_CAPS.maxAttributesPerEvent, NO_KEYS, depth + 1);
    return capString(JSON.stringify(nested));
  }
  return readScalar(raw);
}

const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * An OTLP KeyValue list as a plain object, with keys, values and the number of attributes capped.
 * Keys in `known` are always kept; other keys fill the rest of the cap in arrival order, so a span
 * with hundreds of app attributes keeps its close code. Values past the cap are never read.
 */
export function readAttributes(list: unknown, maxAttributes: number, known: ReadonlySet<string> = NO_KEYS, depth = 0): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  if (!Array.isArray(list)) return attributes;
  let count = 0;
  /** Other keys kept, in arrival order: the last ones make room when known keys pass the cap. */
  let others: string[] | null = null;
  for (const entry of list as RawKeyValue[]) {
    if (entry === null || typeof entry !== 'object') continue;
    const raw = entry.key;
    if (typeof raw !== 'string' || raw === '' || raw.length > ATTRIBUTE_CAPS.maxKeyLength) continue;
    const key = wellFormed(raw);
    if (key === '__proto__') continue;
    const isNew = !has(attributes, key);
    const isKnown = known.has(key);
    if (isNew && !isKnown && count >= maxAttributes) continue;
    const value = readAnyValue(entry.value, depth);
    if (value === null) continue;
    if (isNew) {
      count++;
      if (!isKnown && known.size > 0) (others ??= []).push(key);
    }
    attributes[key] = value;
  }
  while (count > maxAttributes && others !== null && others.length > 0) {
    delete attributes[others.pop()!];
    count--;
  }
  return attributes;
}
