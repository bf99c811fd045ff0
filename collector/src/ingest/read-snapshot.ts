import { ATTR_SNAPSHOT_DELAY_MS, BROWSER_AGENT_SCOPE, SPAN_KIND_CLIENT, expandSnippetKeys, type AttributeValue } from '@closewatch/conventions';
import type { StoredSnapshot } from '../store/store.js';
import { ATTRIBUTE_CAPS } from './attribute-caps.js';
import { NestingTooDeep, readAttributes } from './otlp-values.js';
import type { SpanContext } from './read-span.js';
import { applyAttributeTypes, KNOWN_SPAN_KEYS } from './typed-attributes.js';

export type SnapshotReading = { result: 'snapshot'; snapshot: StoredSnapshot; notes: string[] | null } | { result: 'rejected'; reason: string };

/** What readSpan already checked of a span: ids and times. */
export interface CheckedSpan {
  kind: unknown;
  attributes: unknown;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  endTimeMs: number;
}

const KIND_CLIENT_NAME = 'SPAN_KIND_CLIENT';

/** The delay the agent reported between taking the snapshot and sending it (0 when it did not wait). */
function delayOf(attributes: Record<string, AttributeValue>): number {
  const delay = attributes[ATTR_SNAPSHOT_DELAY_MS];
  return typeof delay === 'number' && delay > 0 ? delay : 0;
}

/**
 * A `websocket.snapshot` span (docs/design.md "Open-connection snapshots"): a CLIENT span whose parent
 * is the connection's client span, kept under the client side's join key. It is never a side.
 */
export function readSnapshot(span: CheckedSpan, context: SpanContext): SnapshotReading {
  if (span.kind !== SPAN_KIND_CLIENT && span.kind !== KIND_CLIENT_NAME) {
    return { result: 'rejected', reason: `span ${span.spanId}: a websocket.snapshot span must be of kind CLIENT` };
  }
  if (span.parentSpanId === null) {
    return { result: 'rejected', reason: `span ${span.spanId}: a websocket.snapshot span needs the connection's span as its parent` };
  }
  let attributes: Record<string, AttributeValue>;
  try {
    attributes = readAttributes(span.attributes, ATTRIBUTE_CAPS.maxAttributesPerSpan, KNOWN_SPAN_KEYS);
  } catch (error) {
    if (!(error instanceof NestingTooDeep)) throw error;
    return { result: 'rejected', reason: `span ${span.spanId}: ${error.message}` };
  }
  if (context.scope.name === BROWSER_AGENT_SCOPE) attributes = expandSnippetKeys(attributes);
  const notes: string[] = [];
  applyAttributeTypes(attributes, `span ${span.spanId}`, notes);
  return {
    result: 'snapshot',
    notes: notes.length > 0 ? notes : null,
    snapshot: {
      connectionId: `${span.traceId}-${span.parentSpanId}`,
      traceId: span.traceId,
      spanId: span.spanId,
      service: context.service,
      timeMs: span.endTimeMs,
      takenAtMs: context.receivedAtMs - delayOf(attributes),
      receivedAtMs: context.receivedAtMs,
      attributes,
      count: 1,
    },
  };
}
