import { fromJson, toNumber } from './row-values.js';
import type { StoredSnapshot } from './store.js';

type Row = Record<string, unknown>;

/** Snapshot statements (docs/design.md "Open-connection snapshots"); the same text runs on both dialects. */
export const SNAPSHOT_SQL = {
  // The newest snapshot of a connection (by the browser's own clock) stays; an older one arriving late only misses the count.
  upsert: `
INSERT INTO snapshots (connection_id, trace_id, span_id, service, time_ms, taken_at_ms, received_at_ms, attributes, count)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (connection_id) DO UPDATE SET
  span_id = excluded.span_id, service = excluded.service, time_ms = excluded.time_ms, taken_at_ms = excluded.taken_at_ms,
  received_at_ms = excluded.received_at_ms, attributes = excluded.attributes,
  count = snapshots.count + CASE WHEN snapshots.span_id = excluded.span_id THEN 0 ELSE excluded.count END
WHERE excluded.time_ms >= snapshots.time_ms`,
  deleteBefore: 'DELETE FROM snapshots WHERE received_at_ms < $1',
} as const;

/** `SELECT … WHERE connection_id IN ($1 … $n)`: a list both dialects take. */
export function selectSnapshotsSql(count: number): string {
  const placeholders = Array.from({ length: count }, (_, i) => `$${i + 1}`).join(', ');
  return `SELECT connection_id, trace_id, span_id, service, time_ms, taken_at_ms, received_at_ms, attributes, count FROM snapshots WHERE connection_id IN (${placeholders})`;
}

/** Ids looked up per statement. */
export const SNAPSHOT_IDS_PER_SELECT = 500;

/** Of several snapshots of one connection in one write, the newest, carrying how many there were. */
export function newestPerConnection(snapshots: StoredSnapshot[]): StoredSnapshot[] {
  const newest = new Map<string, StoredSnapshot>();
  for (const snapshot of snapshots) {
    const kept = newest.get(snapshot.connectionId);
    if (!kept) newest.set(snapshot.connectionId, { ...snapshot, count: 1 });
    else if (kept.spanId !== snapshot.spanId) {
      const count = kept.count + 1;
      newest.set(snapshot.connectionId, snapshot.timeMs >= kept.timeMs ? { ...snapshot, count } : { ...kept, count });
    }
  }
  return [...newest.values()];
}

export function snapshotParams(snapshot: StoredSnapshot, text: (value: string) => string = (value) => value): unknown[] {
  return [
    text(snapshot.connectionId),
    text(snapshot.traceId),
    text(snapshot.spanId),
    text(snapshot.service),
    snapshot.timeMs,
    snapshot.takenAtMs,
    snapshot.receivedAtMs,
    text(JSON.stringify(snapshot.attributes)),
    snapshot.count,
  ];
}

export function toStoredSnapshot(row: Row): StoredSnapshot {
  return {
    connectionId: row.connection_id as string,
    traceId: row.trace_id as string,
    spanId: row.span_id as string,
    service: row.service as string,
    timeMs: toNumber(row.time_ms),
    takenAtMs: toNumber(row.taken_at_ms),
    receivedAtMs: toNumber(row.received_at_ms),
    attributes: fromJson<StoredSnapshot['attributes']>(row.attributes),
    count: toNumber(row.count),
  };
}
