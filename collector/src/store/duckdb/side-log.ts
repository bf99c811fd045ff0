import { toNullableNumber, toNumber } from '../row-values.js';
import type { StoredSide } from '../store.js';
import type { DuckDbExecutor } from './duckdb-session.js';
import { idKeyCondition } from './id-key.js';
import { foldLoggedSide, type PendingConnection } from './pending-sides.js';

/**
 * The legacy side log (`sides`, migrations 3–4): sides were appended here until migration 5 moved
 * them to the journal. Final rows of that time point at their rows (`client_seq`); the first
 * start after migration 5 moves the pending ones to the journal (`readSideLog`); retention empties it.
 */
/** Lookups by a set of ids stay on the id index in chunks of this many literals. */
const ID_CHUNK = 1000;

/** Removes from the map the connections that have a final row. */
export async function dropFinalIds(executor: DuckDbExecutor, byId: Map<string, unknown>): Promise<void> {
  const ids = [...byId.keys()];
  for (let start = 0; start < ids.length; start += ID_CHUNK) {
    // rows of other ids that share a key are not in the map: deleting them is a no-op
    const finals = await executor.all(`SELECT id FROM connections WHERE ${idKeyCondition(ids.slice(start, start + ID_CHUNK))}`);
    for (const row of finals) byId.delete(row.id as string);
  }
}

/**
 * The pending connections as the side log has them: rows from the newest row's `pending_from_seq`
 * on, folded per connection in seq order, minus connections that have a final row.
 */
export async function readSideLog(executor: DuckDbExecutor): Promise<PendingConnection[]> {
  const [last] = await executor.all('SELECT seq, pending_from_seq FROM sides ORDER BY seq DESC LIMIT 1');
  if (!last) return [];
  const rows = await executor.all(
    `SELECT seq, connection_id, trace_id, side, span, join_deadline_ms, start_time_ms, end_time_ms, updated_at_ms
     FROM sides WHERE seq >= $1 ORDER BY seq`,
    [toNumber(last.pending_from_seq)],
  );
  const byId = new Map<string, PendingConnection>();
  for (const row of rows) {
    const id = row.connection_id as string;
    const span = JSON.parse(row.span as string) as StoredSide;
    foldLoggedSide(byId, {
      id,
      traceId: row.trace_id as string,
      span,
      position: toNumber(row.seq),
      joinDeadlineMs: toNullableNumber(row.join_deadline_ms),
      startTimeMs: toNumber(row.start_time_ms),
      endTimeMs: toNumber(row.end_time_ms),
      updatedAtMs: toNumber(row.updated_at_ms),
    });
  }
  await dropFinalIds(executor, byId);
  return [...byId.values()];
}

/**
 * Stored sides (side-log rows, journal segments) outlive the retention cutoff by this much: a side's
 * end time can be older than its connection's.
 */
export const SIDE_RETENTION_MARGIN_MS = 24 * 60 * 60 * 1000;

/**
 * Retention of the side log: rows that ended a margin before the cutoff (their final rows are gone),
 * and every row, from `pendingFromSeq` on, of a connection whose newest end time is before the cutoff
 * (pending connections deleted by the same retention run).
 */
export function deleteOldSides(executor: DuckDbExecutor, pendingFromSeq: number, cutoffMs: number): Promise<number> {
  return executor.run(
    `DELETE FROM sides WHERE end_time_ms < $2 - ${SIDE_RETENTION_MARGIN_MS} OR connection_id IN (
       SELECT connection_id FROM sides WHERE seq >= $1 GROUP BY connection_id HAVING max(end_time_ms) < $2)`,
    [pendingFromSeq, cutoffMs],
  );
}
