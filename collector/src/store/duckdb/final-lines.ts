import type { OutcomeRow } from '../outcome-row.js';
import type { DuckDbExecutor } from './duckdb-session.js';
import type { JournalSegment } from './journal.js';
import type { PendingConnection } from './pending-sides.js';
import { sqlStringList } from './sql-list.js';

/** A pending connection and the outcome that makes it final. */
export interface BecomingFinal {
  pending: PendingConnection;
  outcome: OutcomeRow;
  /** Its `finalized_at_ms`. */
  nowMs: number;
}

/** The columns of `connections` a final line fills, with their types for `read_ndjson`. */
const FINAL_LINE_COLUMNS = {
  id: 'VARCHAR',
  trace_id: 'VARCHAR',
  finalized_at_ms: 'BIGINT',
  updated_at_ms: 'BIGINT',
  cause: 'VARCHAR',
  evidence: 'JSON',
  service: 'VARCHAR',
  route: 'VARCHAR',
  code: 'INTEGER',
  reason: 'VARCHAR',
  phase: 'VARCHAR',
  observed_by: 'VARCHAR',
  start_time_ms: 'BIGINT',
  end_time_ms: 'BIGINT',
  handshake_ms: 'DOUBLE',
  open_ms: 'DOUBLE',
  client_pos: 'BIGINT',
  server_pos: 'BIGINT',
} as const;

/**
 * The JSON reader's buffers are sized from this (its default, 16 MB, held ~2× per thread); a final
 * line is a few hundred bytes (evidence is a handful of sentences).
 */
const MAX_FINAL_LINE_BYTES = 1024 * 1024;

const NAMES = Object.keys(FINAL_LINE_COLUMNS).join(', ');
const COLUMNS_PARAM = `{${Object.entries(FINAL_LINE_COLUMNS)
  .map(([name, type]) => `${name}: '${type}'`)
  .join(', ')}}`;

/**
 * A line of the final journal: the `connections` row of a connection that became final, pointing at
 * its sides' lines in the side journal. Loaded into DuckDB in bulk, natively, by `loadFinalSegments`.
 */
export function finalLine(final: BecomingFinal): string {
  const line = finalLineOf(final);
  if (line.length * 3 < MAX_FINAL_LINE_BYTES) return line;
  // never in practice (attributes are capped at ingest), but a line the reader refuses would stop every load
  const text = (value: string) => value.slice(0, 1000);
  const { outcome } = final;
  return finalLineOf({
    ...final,
    outcome: { ...outcome, evidence: outcome.evidence.slice(0, 20).map(text), service: text(outcome.service), route: text(outcome.route), reason: text(outcome.reason) },
  });
}

function finalLineOf({ pending, outcome, nowMs }: BecomingFinal): string {
  // the columns in FINAL_LINE_COLUMNS order, as one literal (this runs once per connection)
  return JSON.stringify({
    id: outcome.id,
    trace_id: pending.traceId,
    finalized_at_ms: nowMs,
    updated_at_ms: pending.updatedAtMs,
    cause: outcome.cause,
    evidence: outcome.evidence,
    service: outcome.service,
    route: outcome.route,
    code: outcome.code,
    reason: outcome.reason,
    phase: outcome.phase,
    observed_by: outcome.observed_by,
    start_time_ms: outcome.start_time_ms,
    end_time_ms: outcome.end_time_ms,
    handshake_ms: outcome.handshake_ms,
    open_ms: outcome.open_ms,
    client_pos: pending.client ? pending.clientPos : null,
    server_pos: pending.server ? pending.serverPos : null,
  });
}

/**
 * Appends the rows of sealed final-journal segments to `connections` and records the newest segment
 * loaded, in the caller's transaction: DuckDB reads the files itself (no row crosses into JS).
 */
export async function loadFinalSegments(executor: DuckDbExecutor, segments: JournalSegment[]): Promise<void> {
  const files = segments.filter((segment) => segment.size > 0).map((segment) => segment.path);
  if (files.length > 0) {
    await executor.run(
      `INSERT INTO connections (${NAMES}, is_final)
       SELECT ${NAMES}, true FROM read_ndjson([${sqlStringList(files)}], columns = ${COLUMNS_PARAM}, maximum_object_size = ${MAX_FINAL_LINE_BYTES})`,
    );
  }
  await executor.run('UPDATE journal_state SET finals_loaded_through = $1', [segments.at(-1)!.start]);
}
