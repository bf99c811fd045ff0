import type { AttributeValue, SideEvent } from '@closewatch/conventions';
import type { StoredSide } from '../store.js';

/**
 * Attribute keys a journal line writes as their index in this list instead of their text. The list is
 * part of the journal format: entries are only ever appended (an index, once written, names its key forever).
 */
export const JOURNAL_ATTRIBUTE_KEYS: readonly string[] = [
  'websocket.close.code',
  'websocket.close.reason',
  'websocket.close.was_clean',
  'websocket.close.initiator',
  'websocket.close.detail',
  'websocket.phase',
  'websocket.opened',
  'websocket.route',
  'url.full',
  'server.address',
  'server.port',
  'websocket.subprotocols.requested',
  'websocket.subprotocol',
  'websocket.extensions',
  'http.response.status_code',
  'websocket.handshake.duration_ms',
  'websocket.open.duration_ms',
  'websocket.idle_before_close_ms',
  'websocket.messages.sent',
  'websocket.messages.received',
  'websocket.bytes.sent',
  'websocket.bytes.received',
  'websocket.buffered_amount',
  'websocket.termination',
  'websocket.cause.hint',
  'websocket.propagated',
  'error.type',
  'user_agent.original',
  'client.address',
  'browser.online',
  'browser.online_at_start',
  'browser.went_offline',
  'browser.visibility_state',
  'browser.was_hidden',
  'browser.page_unloading',
  'browser.frozen',
  'network.connection.effective_type',
  'websocket.handshake.http_reachable',
  'csp.blocked_uri',
  'csp.directive',
];

const KEY_INDEX = new Map(JOURNAL_ATTRIBUTE_KEYS.map((key, index) => [key, index]));

/** Attributes as a flat list `[key, value, …]`, a known key as its index in JOURNAL_ATTRIBUTE_KEYS. */
function flatAttributes(attributes: Record<string, AttributeValue>): Array<string | number | AttributeValue> {
  const flat: Array<string | number | AttributeValue> = [];
  for (const key in attributes) flat.push(KEY_INDEX.get(key) ?? key, attributes[key]);
  return flat;
}

/** Events as lists `[name, time - base]` or `[name, time - base, attributes]`. */
function relativeEvents(events: SideEvent[], baseMs: number): RelativeEvent[] {
  return events.map((event) => (event.attributes ? [event.name, event.timeMs - baseMs, event.attributes] : [event.name, event.timeMs - baseMs]));
}

function absoluteEvents(events: RelativeEvent[], baseMs: number): SideEvent[] {
  return events.map(([name, offsetMs, attributes]) => (attributes ? { name, timeMs: baseMs + offsetMs, attributes } : { name, timeMs: baseMs + offsetMs }));
}

/**
 * A side as a list for its journal line, attribute keys as indexes: JSON.stringify writes it in
 * ~0.8 of the time of the side as an object, in less than half the bytes (attribute keys dominate
 * both). Its trace id is there only when it is not the connection's (`traceId`, which the line carries).
 * Times are written as offsets from `baseMs` (the line's own base time): JSON.stringify writes an
 * epoch-ms number (past V8's small-integer range) ~0.1 µs slower than a small one, and a line had ten.
 */
export function encodeSide(span: StoredSide, traceId: string, baseMs: number): EncodedSide {
  const encoded: EncodedSide = [
    span.side === 'client' ? 0 : 1,
    span.spanId,
    span.parentSpanId,
    span.service,
    span.resource,
    span.scope.name,
    span.scope.version,
    span.startTimeMs - baseMs,
    span.endTimeMs - baseMs,
    span.receivedAtMs - baseMs,
    flatAttributes(span.attributes),
    relativeEvents(span.events, baseMs),
  ];
  if (span.traceId !== traceId) encoded.push(span.traceId);
  return encoded;
}

export type EncodedSide = [
  0 | 1,
  string,
  string | null,
  string,
  Record<string, AttributeValue>,
  string,
  string,
  number,
  number,
  number,
  Array<string | number | AttributeValue>,
  SideEvent[] | RelativeEvent[],
  string?,
];

type RelativeEvent = [string, number, Record<string, AttributeValue>?];

/**
 * The side `encodeSide` wrote (parsed with the rest of its line), given its connection's trace id and
 * the line's base time; `baseMs` null reads a line written before times were offsets (absolute times,
 * events as objects).
 */
export function decodeSide(encoded: unknown, connectionTraceId: string, baseMs: number | null): StoredSide {
  const [side, spanId, parentSpanId, service, resource, scopeName, scopeVersion, startTimeMs, endTimeMs, receivedAtMs, flat, events, traceId] =
    encoded as EncodedSide;
  const attributes: Record<string, AttributeValue> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const key = flat[i];
    attributes[typeof key === 'number' ? JOURNAL_ATTRIBUTE_KEYS[key] : String(key)] = flat[i + 1];
  }
  return {
    side: side === 0 ? 'client' : 'server',
    traceId: traceId ?? connectionTraceId,
    spanId,
    parentSpanId,
    service,
    resource,
    scope: { name: scopeName, version: scopeVersion },
    startTimeMs: startTimeMs + (baseMs ?? 0),
    endTimeMs: endTimeMs + (baseMs ?? 0),
    attributes,
    events: baseMs === null ? (events as SideEvent[]) : absoluteEvents(events as RelativeEvent[], baseMs),
    receivedAtMs: receivedAtMs + (baseMs ?? 0),
  };
}
