import type { IncomingSide, StoredSide } from './store.js';

/** One connection's share of an upsert batch: the row values both dialects write. */
export interface ConnectionUpsert {
  id: string;
  traceId: string;
  client: StoredSide | null;
  server: StoredSide | null;
  joinDeadlineMs: number | null;
  startTimeMs: number;
  endTimeMs: number;
  updatedAtMs: number;
}

/** The earlier of two optional times (deadlines). */
export function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/**
 * Folds a batch into one upsert per connection (a later side of the same kind wins), sorted by id
 * so concurrent transactions lock rows in the same order and cannot deadlock.
 */
export function mergeIncoming(sides: IncomingSide[]): ConnectionUpsert[] {
  const byId = new Map<string, ConnectionUpsert>();
  for (const { connectionId, joinDeadlineMs, span } of sides) {
    const existing = byId.get(connectionId);
    if (!existing) {
      byId.set(connectionId, {
        id: connectionId,
        traceId: span.traceId,
        client: span.side === 'client' ? span : null,
        server: span.side === 'server' ? span : null,
        joinDeadlineMs,
        startTimeMs: span.startTimeMs,
        endTimeMs: span.endTimeMs,
        updatedAtMs: span.receivedAtMs,
      });
      continue;
    }
    existing[span.side] = span;
    existing.joinDeadlineMs = earliest(existing.joinDeadlineMs, joinDeadlineMs);
    existing.startTimeMs = Math.min(existing.startTimeMs, span.startTimeMs);
    existing.endTimeMs = Math.max(existing.endTimeMs, span.endTimeMs);
    existing.updatedAtMs = Math.max(existing.updatedAtMs, span.receivedAtMs);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
