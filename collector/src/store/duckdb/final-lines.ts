import { blobValue } from '@duckdb/node-api';
import type { OutcomeRow } from '../outcome-row.js';
import type { DuckDbExecutor } from './duckdb-session.js';
import type { PendingConnection } from './pending-sides.js';
import { ID_KEY_SQL } from './id-key.js';
import { OUTCOME_COLUMN_TYPES } from './queries.js';
import { cutText } from '../../well-formed-text.js';

/** A pending connection and the outcome that makes it final. */
export interface BecomingFinal {
  pending: PendingConnection;
  outcome: OutcomeRow;
  /** Its `finalized_at_ms`. */
  nowMs: number;
}

/** The columns of `connections` a final line fills, with their types for `from_json`. */
const FINAL_LINE_COLUMNS = {
  id: 'VARCHAR',
  trace_id: 'VARCHAR',
  finalized_at_ms: 'BIGINT',
  updated_at_ms: 'BIGINT',
  ...OUTCOME_COLUMN_TYPES,
  client_pos: 'BIGINT',
  server_pos: 'BIGINT',
} as const;

/**
 * Longest final line: past it the text fields are cut, so one load's JSON parameter (LINES_PER_BATCH
 * lines) stays bounded. A line is a few hundred bytes in practice: attributes are capped at ingest.
 */
const MAX_FINAL_LINE_BYTES = 256 * 1024;

const NAMES = Object.keys(FINAL_LINE_COLUMNS).join(', ');
const SHAPE = JSON.stringify([FINAL_LINE_COLUMNS]);

/**
 * A final line of the journal: the `connections` row of a connection that became final, pointing at
 * its sides' lines, and `f` (see `journal-lines.ts`). Loaded into DuckDB in bulk by `loadFinalLines`.
 */
export function finalLine(final: BecomingFinal, pendingFrom: number): string {
  const line = finalLineOf(final, pendingFrom);
  if (line.length * 3 < MAX_FINAL_LINE_BYTES) return line;
  const text = (value: string) => cutText(value, 1000);
  const { outcome } = final;
  return finalLineOf(
    {
      ...final,
      outcome: {
        ...outcome,
        evidence: outcome.evidence.slice(0, 20).map(text),
        service: text(outcome.service),
        route: text(outcome.route),
        reason: text(outcome.reason),
        app_reason: outcome.app_reason === null ? null : text(outcome.app_reason),
      },
    },
    pendingFrom,
  );
}

function finalLineOf({ pending, outcome, nowMs }: BecomingFinal, pendingFrom: number): string {
  // one object literal, not a spread: a spread copy serialises ~3x slower (it runs once per connection)
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
    app_protocol: outcome.app_protocol,
    app_reason: outcome.app_reason,
    client_pos: pending.client ? pending.clientPos : null,
    server_pos: pending.server ? pending.serverPos : null,
    f: pendingFrom,
  });
}

/**
 * Appends final rows to `connections` in the caller's transaction: each JSON array of final lines
 * (`UnloadedFinals`) travels as one BLOB parameter that DuckDB decodes, parses and unnests itself (its
 * file reader would hold 32 MB buffers, past a small memory_limit).
 */
export async function insertFinalLines(executor: DuckDbExecutor, batches: readonly Buffer[]): Promise<void> {
  for (const json of batches) {
    await executor.run(
      `INSERT INTO connections (${NAMES}, is_final, id_key)
       SELECT ${NAMES}, true, ${ID_KEY_SQL('id')} FROM (SELECT unnest(from_json(decode($1::BLOB), '${SHAPE}'), recursive := true))`,
      [blobValue(json)],
    );
  }
}

/** Records `through` in the caller's transaction: every final line before it is in `connections`. */
export async function recordFinalsLoaded(executor: DuckDbExecutor, through: number): Promise<void> {
  await executor.run('UPDATE journal_state SET finals_loaded_through = $1', [through]);
}
