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
 * A server span whose client's join slot another server span holds (one client span, two server spans:
 * a client without the agent reusing its traceparent, a proxy retrying the upgrade): a connection of its
 * own, keyed by its own span id, finalised at once.
 */
export function keptApart(incoming: IncomingSide): IncomingSide {
  const { span } = incoming;
  return {
    connectionId: `${span.traceId}-${span.spanId}`,
    joinDeadlineMs: span.receivedAtMs + FINALIZE_ALONE_GRACE_MS,
    clockOffsetMs: incoming.clockOffsetMs,
    span,
  };
}

/** Whether a connection row is a server span kept apart from the client span it names as its parent. */
export function isKeptApart(record: { id: string; server: StoredSide | null }): boolean {
  const server = record.server;
  return server !== null && server.parentSpanId !== null && record.id !== connectionIdOf(server);
}
