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

/** Whether `held` occupies the slot `span` would take with another span: distinct spans never merge. */
export function isOtherSpan(held: StoredSide | null, span: StoredSide | null): boolean {
  return held !== null && span !== null && held.spanId !== span.spanId;
}

/**
 * Folds a batch into one upsert per connection (a later copy of the same span wins; another span for
 * a slot already taken is left out, and the caller keeps it apart), sorted by id so concurrent
 * transactions lock rows in the same order and cannot deadlock. Times are on the collector's clock.
 */
export function mergeIncoming(sides: IncomingSide[]): ConnectionUpsert[] {
  const byId = new Map<string, ConnectionUpsert>();
  for (const { connectionId, joinDeadlineMs, clockOffsetMs, span } of sides) {
    const existing = byId.get(connectionId);
    const startTimeMs = span.startTimeMs - clockOffsetMs;
    const endTimeMs = span.endTimeMs - clockOffsetMs;
    if (!existing) {
      byId.set(connectionId, {
        id: connectionId,
        traceId: span.traceId,
        client: span.side === 'client' ? span : null,
        server: span.side === 'server' ? span : null,
        joinDeadlineMs,
        startTimeMs,
        endTimeMs,
        updatedAtMs: span.receivedAtMs,
      });
      continue;
    }
    if (isOtherSpan(existing[span.side], span)) continue;
    existing[span.side] = span;
    existing.joinDeadlineMs = earliest(existing.joinDeadlineMs, joinDeadlineMs);
    existing.startTimeMs = Math.min(existing.startTimeMs, startTimeMs);
    existing.endTimeMs = Math.max(existing.endTimeMs, endTimeMs);
    existing.updatedAtMs = Math.max(existing.updatedAtMs, span.receivedAtMs);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
