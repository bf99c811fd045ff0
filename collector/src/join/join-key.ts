import { ATTR_PROPAGATED } from '@closewatch/conventions';
import type { IncomingSide, StoredSide } from '../store/store.js';
import { ownClockOffsetMs } from './collector-time.js';

/**
 * Whether the other side of this connection may report: a client span that propagated its context
 * (`websocket.propagated`), or a server span with a parent (the client's span).
 */
export function expectsPeer(span: StoredSide): boolean {
  if (span.side === 'client') return span.attributes[ATTR_PROPAGATED] === true;
  return span.parentSpanId !== null;
}

/** The join key both sides compute alike: trace id + the client's span id (a server's parent). */
export function connectionIdOf(span: StoredSide): string {
  const clientSpanId = span.side === 'server' && span.parentSpanId !== null ? span.parentSpanId : span.spanId;
  return `${span.traceId}-${clientSpanId}`;
}

/**
 * A side finalised at once still gets a deadline this far after its arrival, so that the sweeper
 * finalises it if the process dies between the durable write and the finalisation.
 */
export const FINALIZE_ALONE_GRACE_MS = 10_000;

/**
 * The side as the store takes it. `alone` is true when no peer is expected, or when the join's pending
 * state is full (the caller counts that as join overflow): the side is then finalised at once. The join
 * window runs on the collector's clock from the side's arrival: a sender's clock can be off by hours.
 */
export function toIncomingSide(span: StoredSide, joinWindowMs: number, alone: boolean): IncomingSide {
  return {
    connectionId: connectionIdOf(span),
    joinDeadlineMs: span.receivedAtMs + (alone ? FINALIZE_ALONE_GRACE_MS : joinWindowMs),
    clockOffsetMs: ownClockOffsetMs(span),
    span,
  };
}

/**
 * What ends the id of a connection kept apart. Join slots are `${traceId}-${spanId}` of a client span (or
 * of a server span with no parent), so a kept-apart connection keyed the same way could meet a third
 * span there: a server span naming the kept-apart one as its parent took that id, the two were
 * finalised as one row and counted twice in `/metrics` (docs/design.md, Decisions: kept-apart ids).
 * With this suffix no span's join key can name a kept-apart connection.
 */
export const KEPT_APART_SUFFIX = '-server';

/**
 * A server span whose slot another server span holds (one client span, two server spans: a client
 * without the agent reusing its traceparent, a proxy retrying the upgrade; or a server span with no
 * parent whose own id another server span names as its parent): a connection of its own, keyed by its
 * own span id, finalised at once.
 */
export function keptApart(incoming: IncomingSide): IncomingSide {
  const { span } = incoming;
  return {
    connectionId: `${span.traceId}-${span.spanId}${KEPT_APART_SUFFIX}`,
    joinDeadlineMs: span.receivedAtMs + FINALIZE_ALONE_GRACE_MS,
    clockOffsetMs: incoming.clockOffsetMs,
    span,
  };
}

/**
 * Whether a connection row is a server span kept apart from the slot its join key names. Rows kept apart
 * before KEPT_APART_SUFFIX have their server's own id: it does not end with the parent it names.
 */
export function isKeptApart(record: { id: string; server: StoredSide | null }): boolean {
  if (record.id.endsWith(KEPT_APART_SUFFIX)) return true;
  const parent = record.server?.parentSpanId ?? null;
  // ids are `${traceId}-${spanId}`, span ids all 16 hex digits: only the parent's id ends with the parent
  return parent !== null && !record.id.endsWith(parent);
}
