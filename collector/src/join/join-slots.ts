import type { ConnectionRecord, IncomingSide, StoredSide } from '../store/store.js';
import { keptApart } from './join-key.js';

/**
 * One span, one connection. Each connection row has one slot per side; a server span takes its client's
 * slot (`${traceId}-${parentSpanId}`), so two server spans naming one parent (a client without the agent
 * reusing its traceparent, a proxy retrying the upgrade) would meet there. The first to reach the store
 * keeps the slot; the others become server-only connections of their own (`keptApart`). When the client
 * arrives in the same batch, the server span whose lifetime is closest to the client's goes first.
 */

function lifetimeMs(span: StoredSide): number {
  return span.endTimeMs - span.startTimeMs;
}

/** The batch with, per connection claimed by several server spans, the best fit for its client first. */
export function orderForJoin(sides: IncomingSide[]): IncomingSide[] {
  let serverSpans: Map<string, string> | null = null;
  let contested: Set<string> | null = null;
  for (const { connectionId, span } of sides) {
    if (span.side !== 'server' || span.parentSpanId === null) continue;
    serverSpans ??= new Map();
    const held = serverSpans.get(connectionId);
    if (held === undefined) serverSpans.set(connectionId, span.spanId);
    else if (held !== span.spanId) (contested ??= new Set()).add(connectionId);
  }
  if (contested === null) return sides;
  const clients = new Map<string, StoredSide>();
  for (const { connectionId, span } of sides) if (span.side === 'client' && contested.has(connectionId)) clients.set(connectionId, span);
  const misfit = (incoming: IncomingSide): number => {
    const client = clients.get(incoming.connectionId);
    if (incoming.span.side !== 'server' || client === undefined || !contested.has(incoming.connectionId)) return 0;
    return Math.abs(lifetimeMs(incoming.span) - lifetimeMs(client));
  };
  // a stable sort: sides of uncontested connections keep their order
  return [...sides].sort((a, b) => misfit(a) - misfit(b));
}

/**
 * Server sides the store did not write because another span holds their slot (the returned row shows
 * it), as connections of their own: a server span naming a client another server span joined, or a
 * server span with no parent whose own id another server span names as its parent. (A client's slot is
 * keyed by its own span id, so only a copy of the same span meets it.)
 */
export function displacedSides(sides: IncomingSide[], records: ConnectionRecord[]): IncomingSide[] {
  let byId: Map<string, ConnectionRecord> | null = null;
  const displaced: IncomingSide[] = [];
  for (const incoming of sides) {
    if (incoming.span.side !== 'server') continue;
    byId ??= new Map(records.map((record) => [record.id, record]));
    const held = byId.get(incoming.connectionId)?.server;
    if (held && held.spanId !== incoming.span.spanId) displaced.push(keptApart(incoming));
  }
  return displaced;
}
