/** A W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header). */
export interface TraceContext {
  /** 32 lowercase hex characters, not all zero. */
  traceId: string;
  /** 16 lowercase hex characters, not all zero. */
  spanId: string;
  sampled: boolean;
}

export interface ParsedTraceparent extends TraceContext {
  /** 2 hex characters; '00' today. */
  version: string;
  /** The trace-flags byte (bit 0 = sampled). */
  flags: number;
}

const VERSION_00_LENGTH = 55;
const TRACEPARENT_PREFIX = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})/;
const ALL_ZERO = /^0+$/;

/** `00-<traceId>-<spanId>-<flags>`; the ids must already be valid lowercase hex. */
export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.sampled ? '01' : '00'}`;
}

/**
 * Parses a traceparent per the W3C spec: lowercase hex of the exact lengths, version `ff` invalid,
 * version 00 exactly 55 characters, a later version may append `-…` fields; trace and span id
 * must not be all zeros. Returns null for anything invalid.
 */
export function parseTraceparent(value: unknown): ParsedTraceparent | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const match = TRACEPARENT_PREFIX.exec(text);
  if (!match) return null;
  const [, version = '', traceId = '', spanId = '', flagsHex = ''] = match;
  if (version === 'ff') return null;
  if (version === '00' && text.length !== VERSION_00_LENGTH) return null;
  if (text.length > VERSION_00_LENGTH && text[VERSION_00_LENGTH] !== '-') return null;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return null;
  const flags = parseInt(flagsHex, 16);
  return { version, traceId, spanId, flags, sampled: (flags & 1) === 1 };
}

function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  let hex: string;
  do {
    globalThis.crypto.getRandomValues(buffer);
    hex = '';
    for (const byte of buffer) hex += byte.toString(16).padStart(2, '0');
  } while (ALL_ZERO.test(hex));
  return hex;
}

/** A random 16-byte trace id as 32 lowercase hex characters, never all zeros. */
export function randomTraceId(): string {
  return randomHex(16);
}

/** A random 8-byte span id as 16 lowercase hex characters, never all zeros. */
export function randomSpanId(): string {
  return randomHex(8);
}
