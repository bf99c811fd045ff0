import { toConnectionRecord } from '../connection-row.js';
import { mergeIncoming } from '../merge-incoming.js';
import type { ConnectionRecord, IncomingSide } from '../store.js';
import type { DuckDbExecutor } from './duckdb-session.js';
import { DUCKDB_SQL } from './queries.js';

/** Bounds one group-commit statement (about 1 KB of JSON per side). */
export const MAX_SIDES_PER_STATEMENT = 2000;

/** One statement for a (group-committed) batch: the whole batch travels as one JSON parameter. */
export async function upsertConnections(executor: DuckDbExecutor, sides: IncomingSide[]): Promise<ConnectionRecord[]> {
  const batch = mergeIncoming(sides).map((u) => ({
    id: u.id,
    trace_id: u.traceId,
    client: u.client,
    server: u.server,
    join_deadline_ms: u.joinDeadlineMs,
    start_time_ms: u.startTimeMs,
    end_time_ms: u.endTimeMs,
    updated_at_ms: u.updatedAtMs,
  }));
  const rows = await executor.all(DUCKDB_SQL.upsertSides, [JSON.stringify(batch)]);
  return rows.map(toConnectionRecord);
}

/** The rows of one caller's connections out of a group's result. */
export function recordsOf(records: ConnectionRecord[], sides: IncomingSide[]): ConnectionRecord[] {
  const ids = new Set(sides.map((s) => s.connectionId));
  return records.filter((record) => ids.has(record.id));
}
