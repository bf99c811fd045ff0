import { ATTR_PROPAGATED } from '@closewatch/conventions';
import type { IncomingSide, StoredSide } from '../store/store.js';

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
 * state is full (the caller counts that as join overflow): the side is then finalised at once.
 */
export function toIncomingSide(span: StoredSide, joinWindowMs: number, alone: boolean): IncomingSide {
  return {
    connectionId: connectionIdOf(span),
    joinDeadlineMs: alone ? span.receivedAtMs + FINALIZE_ALONE_GRACE_MS : span.endTimeMs + joinWindowMs,
    span,
  };
}
