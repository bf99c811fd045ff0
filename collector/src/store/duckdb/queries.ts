import { CONNECTION_COLUMNS } from '../connection-row.js';
import { idKeyCondition } from './id-key.js';

/** from_json shapes for the one JSON parameter that carries a whole batch. */
const LATE_SIDES_SHAPE = JSON.stringify([{ id: 'VARCHAR', client: 'JSON', server: 'JSON', updated_at_ms: 'BIGINT' }]);

/** DuckDB types of the outcome columns (from_json shapes, final lines). */
export const OUTCOME_COLUMN_TYPES = {
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
} as const;

const EVIDENCE_SHAPE = JSON.stringify([{ id: 'VARCHAR', evidence: 'JSON' }]);

/** DuckDB-only statements: batches travel as one JSON parameter unnested into rows, one statement per batch. */
export const DUCKDB_SQL = {
  /** A late side of a final row (rare): the row keeps its outcome until the caller re-classifies it. */
  lateSides: (ids: string[]) => `
UPDATE connections SET
  client = COALESCE(v.client, connections.client),
  server = COALESCE(v.server, connections.server),
  updated_at_ms = greatest(connections.updated_at_ms, v.updated_at_ms)
FROM (SELECT unnest(from_json($1::JSON, '${LATE_SIDES_SHAPE}'), recursive := true)) AS v
WHERE connections.id = v.id AND ${idKeyCondition(ids, 'connections.')}`,

  /**
   * Final rows that may be among the ids (every row of `connections` is final): by their key, so the
   * caller keeps only rows whose id it asked for.
   */
  finalRows: (ids: readonly string[]) =>
    `SELECT ${CONNECTION_COLUMNS}, client_seq, server_seq, client_pos, server_pos FROM connections WHERE ${idKeyCondition(ids)}`,

  /** A late side's note in the evidence of final rows (the keys go in as literals: only a constant IN list uses the index). */
  updateEvidence: (ids: string[]) => `
UPDATE connections SET evidence = v.evidence
FROM (SELECT unnest(from_json($1::JSON, '${EVIDENCE_SHAPE}'), recursive := true)) AS v
WHERE connections.id = v.id AND ${idKeyCondition(ids, 'connections.')}`,

  deleteOlderThan: 'DELETE FROM connections WHERE end_time_ms < $1',
  bucketStart: (bucketParam: string) => `(end_time_ms // ${bucketParam}) * ${bucketParam}`,
} as const;
