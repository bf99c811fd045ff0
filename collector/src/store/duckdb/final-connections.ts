import type { DuckDBAppender } from '@duckdb/node-api';
import { toConnectionRecord } from '../connection-row.js';
import type { OutcomeRow } from '../outcome-row.js';
import type { ConnectionRecord } from '../store.js';
import type { DuckDbExecutor } from './duckdb-session.js';
import type { PendingConnection } from './pending-sides.js';
import { DUCKDB_SQL } from './queries.js';

/** A pending connection and the outcome that makes it final. */
export interface BecomingFinal {
  pending: PendingConnection;
  outcome: OutcomeRow;
}

function appendNullableDouble(appender: DuckDBAppender, value: number | null): void {
  if (value === null) appender.appendNull();
  else appender.appendDouble(value);
}

/**
 * Appends final rows to `connections` (the append path: a row is written once, when it becomes final),
 * in the column order of migration 1, inside the caller's transaction.
 */
export function appendFinalConnections(executor: DuckDbExecutor, rows: BecomingFinal[], nowMs: number): Promise<void> {
  return executor.append('connections', (appender) => {
    for (const { pending, outcome } of rows) {
      appender.appendVarchar(pending.id);
      appender.appendVarchar(pending.traceId);
      if (pending.client) appender.appendVarchar(JSON.stringify(pending.client));
      else appender.appendNull();
      if (pending.server) appender.appendVarchar(JSON.stringify(pending.server));
      else appender.appendNull();
      appender.appendNull(); // join_deadline_ms
      appender.appendNull(); // claimed_until_ms
      appender.appendBoolean(true);
      appender.appendBigInt(BigInt(nowMs));
      appender.appendBigInt(BigInt(pending.updatedAtMs));
      appender.appendVarchar(outcome.cause);
      appender.appendVarchar(JSON.stringify(outcome.evidence));
      appender.appendVarchar(outcome.service);
      appender.appendVarchar(outcome.route);
      if (outcome.code === null) appender.appendNull();
      else appender.appendInteger(outcome.code);
      appender.appendVarchar(outcome.reason);
      appender.appendVarchar(outcome.phase);
      appender.appendVarchar(outcome.observed_by);
      appender.appendBigInt(BigInt(outcome.start_time_ms));
      appender.appendBigInt(BigInt(outcome.end_time_ms));
      appendNullableDouble(appender, outcome.handshake_ms);
      appendNullableDouble(appender, outcome.open_ms);
      appender.endRow();
    }
  });
}

/** The final rows among `ids`, by id (one primary-key lookup per id). */
export async function readFinalConnections(executor: DuckDbExecutor, ids: string[]): Promise<Map<string, ConnectionRecord>> {
  const found = new Map<string, ConnectionRecord>();
  if (ids.length === 0) return found;
  for (const row of await executor.all(DUCKDB_SQL.finalRows(ids))) {
    const record = toConnectionRecord(row);
    found.set(record.id, record);
  }
  return found;
}

/** Writes late sides into final rows (the rare update path); the caller re-classifies and calls finalize. */
export async function updateLateSides(executor: DuckDbExecutor, records: ConnectionRecord[], updatedAtMs: Map<string, number>): Promise<void> {
  if (records.length === 0) return;
  const values = records.map((record) => ({
    id: record.id,
    client: record.client,
    server: record.server,
    updated_at_ms: updatedAtMs.get(record.id) ?? 0,
  }));
  await executor.run(DUCKDB_SQL.lateSides(records.map((r) => r.id)), [JSON.stringify(values)]);
}
