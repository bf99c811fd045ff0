import {
  ATTR_URL_FULL,
  RESOURCE_SERVICE_NAME,
  SPAN_KIND_CLIENT,
  SPAN_KIND_SERVER,
  SPAN_NAME_CONNECTION,
  SPAN_NAME_SNAPSHOT,
  BROWSER_AGENT_SCOPE,
  completeBrowserAttributes,
  expandSnippetKeys,
  scrubUrl,
  type AttributeValue,
  type SideEvent,
  type Side,
} from '@closewatch/conventions';
import type { StoredSide } from '../store/store.js';
import { cutText } from '../well-formed-text.js';
import { ATTRIBUTE_CAPS } from './attribute-caps.js';
import type { RawEvent, RawSpan } from './otlp-types.js';
import { readSnapshot, type SnapshotReading } from './read-snapshot.js';
import { capString, isEmptyId, NestingTooDeep, readAttributes, readId, readUnixNanoAsMs } from './otlp-values.js';
import { applyAttributeTypes, KNOWN_RESOURCE_KEYS, KNOWN_SPAN_KEYS } from './typed-attributes.js';

/** What the resource and scope of a group of spans contribute to each of them. */
export interface SpanContext {
  resource: Record<string, AttributeValue>;
  service: string;
  scope: { name: string; version: string };
  receivedAtMs: number;
  /** Why every span of this resource is rejected (its attributes nest too deep), or null. */
  rejection: string | null;
}

export type SpanReading =
  /** `notes`: attribute values dropped because they do not fit their key's type (the OTLP partial-success warning). */
  { result: 'accepted'; span: StoredSide; notes: string[] | null } | { result: 'ignored' } | { result: 'rejected'; reason: string } | SnapshotReading;

/** The OpenTelemetry SDKs' service name when none is configured. */
const UNKNOWN_SERVICE = 'unknown_service';
/** Longest quote of a raw value in a rejection reason. */
const MAX_QUOTE = 40;
const KIND_NAMES: Record<string, number> = { SPAN_KIND_SERVER: SPAN_KIND_SERVER, SPAN_KIND_CLIENT: SPAN_KIND_CLIENT };

export function readSpanContext(
  resourceAttributes: unknown,
  scope: { name?: unknown; version?: unknown } | null | undefined,
  receivedAtMs: number,
): SpanContext {
  let resource: Record<string, AttributeValue> = {};
  let rejection: string | null = null;
  try {
    resource = readAttributes(resourceAttributes, ATTRIBUTE_CAPS.maxResourceAttributes, KNOWN_RESOURCE_KEYS);
  } catch (error) {
    if (!(error instanceof NestingTooDeep)) throw error;
    rejection = `its resource: ${error.message}`;
  }
  const serviceName = resource[RESOURCE_SERVICE_NAME];
  return {
    resource,
    rejection,
    service: typeof serviceName === 'string' && serviceName !== '' ? capString(serviceName, ATTRIBUTE_CAPS.maxNameLength) : UNKNOWN_SERVICE,
    scope: {
      name: typeof scope?.name === 'string' ? capString(scope.name, ATTRIBUTE_CAPS.maxNameLength) : '',
      version: typeof scope?.version === 'string' ? capString(scope.version, ATTRIBUTE_CAPS.maxNameLength) : '',
    },
    receivedAtMs,
  };
}

function readSide(kind: unknown): Side | null {
  const number = typeof kind === 'string' ? KIND_NAMES[kind] : kind;
  if (number === SPAN_KIND_SERVER) return 'server';
  if (number === SPAN_KIND_CLIENT) return 'client';
  return null;
}

/**
 * A browser-agent span's attributes as docs/design.md describes them: the snippet sends short keys and
 * leaves out what follows from the rest (conventions' completeBrowserAttributes).
 */
function readSpanAttributes(list: unknown, context: SpanContext): Record<string, AttributeValue> {
  const attributes = readAttributes(list, ATTRIBUTE_CAPS.maxAttributesPerSpan, KNOWN_SPAN_KEYS);
  return context.scope.name === BROWSER_AGENT_SCOPE ? completeBrowserAttributes(attributes) : attributes;
}

function readEventAttributes(list: unknown, context: SpanContext): Record<string, AttributeValue> {
  const attributes = readAttributes(list, ATTRIBUTE_CAPS.maxAttributesPerEvent, KNOWN_SPAN_KEYS);
  return context.scope.name === BROWSER_AGENT_SCOPE ? expandSnippetKeys(attributes) : attributes;
}

function readEvents(list: unknown, context: SpanContext): SideEvent[] {
  if (!Array.isArray(list)) return [];
  const events: SideEvent[] = [];
  for (const raw of list.slice(0, ATTRIBUTE_CAPS.maxEventsPerSpan) as RawEvent[]) {
    if (raw === null || typeof raw !== 'object' || typeof raw.name !== 'string') continue;
    const timeMs = readUnixNanoAsMs(raw.timeUnixNano);
    if (timeMs === null) continue;
    const attributes = readEventAttributes(raw.attributes, context);
    const event: SideEvent = { name: capString(raw.name, ATTRIBUTE_CAPS.maxNameLength), timeMs };
    if (Object.keys(attributes).length > 0) event.attributes = attributes;
    events.push(event);
  }
  return events;
}

/** Scrubs `url.full` again: a client without our agent (or an old one) must not store secrets in the URL. */
function scrubbedUrl(attributes: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const url = attributes[ATTR_URL_FULL];
  if (typeof url === 'string') attributes[ATTR_URL_FULL] = scrubUrl(url);
  return attributes;
}

/** A raw value for a rejection reason: short, and well-formed whatever was sent. */
function quote(value: unknown): string {
  return cutText(typeof value === 'string' ? JSON.stringify(value) : String(value), MAX_QUOTE);
}

/**
 * Validates one span (ids, times, nesting) and converts a `websocket.connection` span to a StoredSide
 * with every value capped, well-formed and in its key's type, and a `websocket.snapshot` span to a
 * StoredSnapshot (read-snapshot.ts). Valid spans of other names are ignored; invalid spans are rejected
 * with a reason.
 */
export function readSpan(raw: RawSpan, context: SpanContext): SpanReading {
  if (raw === null || typeof raw !== 'object') return { result: 'rejected', reason: 'a span is not an object' };
  const traceId = readId(raw.traceId, 16);
  if (traceId === null) return { result: 'rejected', reason: 'traceId must be 16 bytes, not all zero' };
  const spanId = readId(raw.spanId, 8);
  if (spanId === null) return { result: 'rejected', reason: `span ${traceId}: spanId must be 8 bytes, not all zero` };
  const parentSpanId = isEmptyId(raw.parentSpanId) ? null : readId(raw.parentSpanId, 8);
  if (parentSpanId === null && !isEmptyId(raw.parentSpanId)) {
    return { result: 'rejected', reason: `span ${spanId}: parentSpanId must be empty or 8 bytes` };
  }
  const startTimeMs = readUnixNanoAsMs(raw.startTimeUnixNano);
  const endTimeMs = readUnixNanoAsMs(raw.endTimeUnixNano);
  if (startTimeMs === null || endTimeMs === null) {
    const got = `${quote(raw.startTimeUnixNano)} and ${quote(raw.endTimeUnixNano)}`;
    return {
      result: 'rejected',
      reason: `span ${spanId}: startTimeUnixNano and endTimeUnixNano must be nanoseconds since the epoch within 64 bits (got ${got})`,
    };
  }
  if (endTimeMs < startTimeMs) return { result: 'rejected', reason: `span ${spanId}: ends before it starts` };
  const snapshot = raw.name === SPAN_NAME_SNAPSHOT;
  if (raw.name !== SPAN_NAME_CONNECTION && !snapshot) return { result: 'ignored' };
  if (context.rejection !== null) return { result: 'rejected', reason: `span ${spanId}: ${context.rejection}` };
  if (snapshot) return readSnapshot({ kind: raw.kind, attributes: raw.attributes, traceId, spanId, parentSpanId, endTimeMs }, context);
  const side = readSide(raw.kind);
  if (side === null) {
    return { result: 'rejected', reason: `span ${spanId}: a ${SPAN_NAME_CONNECTION} span must be of kind SERVER or CLIENT` };
  }
  let attributes: Record<string, AttributeValue>;
  let events: SideEvent[];
  try {
    attributes = scrubbedUrl(readSpanAttributes(raw.attributes, context));
    events = readEvents(raw.events, context);
  } catch (error) {
    if (!(error instanceof NestingTooDeep)) throw error;
    return { result: 'rejected', reason: `span ${spanId}: ${error.message}` };
  }
  const notes: string[] = [];
  applyAttributeTypes(attributes, `span ${spanId}`, notes);
  return {
    result: 'accepted',
    notes: notes.length > 0 ? notes : null,
    span: {
      side,
      traceId,
      spanId,
      parentSpanId,
      service: context.service,
      resource: context.resource,
      scope: context.scope,
      startTimeMs,
      endTimeMs,
      attributes,
      events,
      receivedAtMs: context.receivedAtMs,
    },
  };
}
