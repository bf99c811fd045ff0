import { toConnectionRecord } from '../connection-row.js';
import type { ConnectionRecord, StoredSide } from '../store.js';
import { toNumber } from '../row-values.js';
import type { DuckDbExecutor, DuckDbRow } from './duckdb-session.js';
import { DUCKDB_SQL } from './queries.js';

/** Reads the side a final row points at in the journal (null when retention removed it). */
export type ReadSide = (position: number) => Promise<StoredSide | null>;

/**
 * Fills `client` / `server` of final rows from where they are: inline (rows a late side updated, and
 * rows from before migration 4), the legacy side-log table (`client_seq`, migration 4), or the side
 * journal (`client_pos`, migration 5).
 */
export async function withSides(executor: DuckDbExecutor, readSide: ReadSide, rows: DuckDbRow[]): Promise<DuckDbRow[]> {
  const seqs: number[] = [];
  const positions: number[] = [];
  for (const row of rows) {
    for (const side of ['client', 'server'] as const) {
      if (row[side] !== null) continue;
      if (row[`${side}_pos`] != null) positions.push(toNumber(row[`${side}_pos`]));
      else if (row[`${side}_seq`] != null) seqs.push(toNumber(row[`${side}_seq`]));
    }
  }
  if (seqs.length === 0 && positions.length === 0) return rows;
  const logged = new Map<number, unknown>();
  if (seqs.length > 0) {
    for (const row of await executor.all(`SELECT seq, span FROM sides WHERE seq IN (${seqs.join(', ')})`)) logged.set(toNumber(row.seq), row.span);
  }
  const journaled = new Map<number, StoredSide | null>();
  for (const position of positions) journaled.set(position, await readSide(position));
  const sideOf = (row: DuckDbRow, side: 'client' | 'server'): unknown => {
    if (row[side] !== null) return row[side];
    if (row[`${side}_pos`] != null) return journaled.get(toNumber(row[`${side}_pos`])) ?? null;
    if (row[`${side}_seq`] != null) return logged.get(toNumber(row[`${side}_seq`])) ?? null;
    return null;
  };
  return rows.map((row) => ({ ...row, client: sideOf(row, 'client'), server: sideOf(row, 'server') }));
}

/** The final rows among `ids`, by id (through the id-key index). */
export async function readFinalConnections(executor: DuckDbExecutor, readSide: ReadSide, ids: string[]): Promise<Map<string, ConnectionRecord>> {
  const found = new Map<string, ConnectionRecord>();
  if (ids.length === 0) return found;
  const wanted = new Set(ids);
  const rows = (await executor.all(DUCKDB_SQL.finalRows(ids))).filter((row) => wanted.has(row.id as string));
  for (const row of await withSides(executor, readSide, rows)) {
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
