import type { DuckDBAppender } from '@duckdb/node-api';
import { toConnectionRecord } from '../connection-row.js';
import type { OutcomeRow } from '../outcome-row.js';
import type { ConnectionRecord } from '../store.js';
import { toNumber } from '../row-values.js';
import type { DuckDbExecutor, DuckDbRow } from './duckdb-session.js';
import type { PendingConnection } from './pending-sides.js';
import { DUCKDB_SQL } from './queries.js';

/** A pending connection and the outcome that makes it final. */
export interface BecomingFinal {
  pending: PendingConnection;
  outcome: OutcomeRow;
  /** Its `finalized_at_ms`. */
  nowMs: number;
}

function appendNullableBigInt(appender: DuckDBAppender, value: number | null): void {
  if (value === null) appender.appendNull();
  else appender.appendBigInt(BigInt(value));
}

function appendNullableDouble(appender: DuckDBAppender, value: number | null): void {
  if (value === null) appender.appendNull();
  else appender.appendDouble(value);
}

/**
 * Appends final rows to `connections` (the append path: a row is written once, when it becomes final),
 * in the column order of migrations 3 and 4, inside the caller's transaction. The sides stay in the
 * side log, where the row points.
 */
export function appendFinalConnections(executor: DuckDbExecutor, rows: BecomingFinal[]): Promise<void> {
  return executor.append('connections', (appender) => {
    for (const { pending, outcome, nowMs } of rows) {
      appender.appendVarchar(pending.id);
      appender.appendVarchar(pending.traceId);
      appender.appendNull(); // client: in the side log at client_seq
      appender.appendNull(); // server: in the side log at server_seq
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
      appendNullableBigInt(appender, pending.client ? pending.clientSeq : null);
      appendNullableBigInt(appender, pending.server ? pending.serverSeq : null);
      appender.endRow();
    }
  });
}

/**
 * Fills `client` / `server` of final rows from the side-log rows they point at (rows written before
 * migration 4, and rows a late side updated, carry their sides inline).
 */
export async function withSides(executor: DuckDbExecutor, rows: DuckDbRow[]): Promise<DuckDbRow[]> {
  const seqs: number[] = [];
  for (const row of rows) {
    if (row.client === null && row.client_seq !== null) seqs.push(toNumber(row.client_seq));
    if (row.server === null && row.server_seq !== null) seqs.push(toNumber(row.server_seq));
  }
  if (seqs.length === 0) return rows;
  const spans = new Map<number, unknown>();
  for (const row of await executor.all(`SELECT seq, span FROM sides WHERE seq IN (${seqs.join(', ')})`)) spans.set(toNumber(row.seq), row.span);
  return rows.map((row) => ({
    ...row,
    client: row.client ?? (row.client_seq === null ? null : spans.get(toNumber(row.client_seq)) ?? null),
    server: row.server ?? (row.server_seq === null ? null : spans.get(toNumber(row.server_seq)) ?? null),
  }));
}

/** The final rows among `ids`, by id (one primary-key lookup per id). */
export async function readFinalConnections(executor: DuckDbExecutor, ids: string[]): Promise<Map<string, ConnectionRecord>> {
  const found = new Map<string, ConnectionRecord>();
  if (ids.length === 0) return found;
  for (const row of await withSides(executor, await executor.all(DUCKDB_SQL.finalRows(ids)))) {
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
