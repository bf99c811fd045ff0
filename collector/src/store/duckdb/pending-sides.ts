import { earliest, type ConnectionUpsert } from '../merge-incoming.js';
import type { ConnectionRecord, StoredSide } from '../store.js';

/** A connection waiting for its other side (or its deadline), as the journal holds it. */
export interface PendingConnection extends ConnectionUpsert {
  /** Journal position of this connection's first side line: no line of it is older. */
  firstPos: number;
  /** Journal position of each side's line as it stands (the final row points at them). */
  clientPos: number | null;
  serverPos: number | null;
  /** Claimed by `claimExpired` until then (a lease, not durable: a restart releases every claim). */
  claimedUntilMs: number | null;
}

/** What a pending connection becomes once `upsert` is folded in (the same rules the SQL upsert had). */
export function mergePending(existing: PendingConnection | undefined, upsert: ConnectionUpsert, firstPos: number): PendingConnection {
  // object literals, not spreads: this runs once per ingested side
  if (!existing) {
    return {
      id: upsert.id,
      traceId: upsert.traceId,
      client: upsert.client,
      server: upsert.server,
      joinDeadlineMs: upsert.joinDeadlineMs,
      startTimeMs: upsert.startTimeMs,
      endTimeMs: upsert.endTimeMs,
      updatedAtMs: upsert.updatedAtMs,
      firstPos,
      clientPos: null,
      serverPos: null,
      claimedUntilMs: null,
    };
  }
  return {
    id: existing.id,
    traceId: existing.traceId,
    client: upsert.client ?? existing.client,
    server: upsert.server ?? existing.server,
    joinDeadlineMs: earliest(existing.joinDeadlineMs, upsert.joinDeadlineMs),
    startTimeMs: Math.min(existing.startTimeMs, upsert.startTimeMs),
    endTimeMs: Math.max(existing.endTimeMs, upsert.endTimeMs),
    updatedAtMs: Math.max(existing.updatedAtMs, upsert.updatedAtMs),
    firstPos: existing.firstPos,
    clientPos: existing.clientPos,
    serverPos: existing.serverPos,
    claimedUntilMs: existing.claimedUntilMs,
  };
}

/** A side as the journal (or the legacy side log) keeps it: with its connection's state after it. */
export interface LoggedSide {
  id: string;
  traceId: string;
  span: StoredSide;
  position: number;
  joinDeadlineMs: number | null;
  startTimeMs: number;
  endTimeMs: number;
  updatedAtMs: number;
}

/** Folds logged sides, oldest first, into pending connections: each side's newest line and state win. */
export function foldLoggedSide(byId: Map<string, PendingConnection>, logged: LoggedSide): void {
  const pending: PendingConnection = byId.get(logged.id) ?? {
    id: logged.id,
    traceId: logged.traceId,
    client: null,
    server: null,
    joinDeadlineMs: null,
    startTimeMs: 0,
    endTimeMs: 0,
    updatedAtMs: 0,
    firstPos: logged.position,
    clientPos: null,
    serverPos: null,
    claimedUntilMs: null,
  };
  pending[logged.span.side] = logged.span;
  pending[logged.span.side === 'client' ? 'clientPos' : 'serverPos'] = logged.position;
  pending.joinDeadlineMs = logged.joinDeadlineMs;
  pending.startTimeMs = logged.startTimeMs;
  pending.endTimeMs = logged.endTimeMs;
  pending.updatedAtMs = logged.updatedAtMs;
  byId.set(logged.id, pending);
}

export function pendingRecord(pending: PendingConnection): ConnectionRecord {
  return {
    id: pending.id,
    traceId: pending.traceId,
    client: pending.client,
    server: pending.server,
    joinDeadlineMs: pending.joinDeadlineMs,
    final: false,
    finalizedAtMs: null,
    outcome: null,
  };
}

/**
 * The join's pending connections of the one process that owns the DuckDB file, in memory: the side
 * journal makes them durable, `load` rebuilds them at startup. Kept in first-position order
 * (a Map iterates in insertion order), so the oldest journal line still needed is the first entry's.
 */
export class PendingSides {
  readonly #byId = new Map<string, PendingConnection>();

  get size(): number {
    return this.#byId.size;
  }

  get(id: string): PendingConnection | undefined {
    return this.#byId.get(id);
  }

  /** Adds a new connection at the end, or replaces an existing one in place (its first position is kept). */
  set(pending: PendingConnection): void {
    this.#byId.set(pending.id, pending);
  }

  delete(id: string): void {
    this.#byId.delete(id);
  }

  /** Journal lines below this position belong to connections that are final or deleted; `fallback` when none is pending. */
  oldestPos(fallback: number): number {
    for (const pending of this.#byId.values()) return Math.min(pending.firstPos, fallback);
    return fallback;
  }

  /** Due rows (deadline passed, not under a live claim), oldest deadline first, claimed until `claimUntilMs`. */
  claimDue(nowMs: number, limit: number, claimUntilMs: number): ConnectionRecord[] {
    const due: PendingConnection[] = [];
    for (const pending of this.#byId.values()) {
      if (pending.joinDeadlineMs === null || pending.joinDeadlineMs > nowMs) continue;
      if (pending.claimedUntilMs !== null && pending.claimedUntilMs > nowMs) continue;
      due.push(pending);
    }
    due.sort((a, b) => a.joinDeadlineMs! - b.joinDeadlineMs! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return due.slice(0, limit).map((pending) => {
      pending.claimedUntilMs = claimUntilMs;
      return pendingRecord(pending);
    });
  }

  /** Ids of pending connections that ended before the cutoff (retention). */
  endedBefore(cutoffMs: number): string[] {
    const ids: string[] = [];
    for (const pending of this.#byId.values()) if (pending.endTimeMs < cutoffMs) ids.push(pending.id);
    return ids;
  }
}
