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
  app_protocol: 'VARCHAR',
  app_reason: 'VARCHAR',
} as const;

const OUTCOME_SHAPE = JSON.stringify([{ id: 'VARCHAR', ...OUTCOME_COLUMN_TYPES }]);

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

  /** Re-classification of rows already final (the keys go in as literals: only a constant IN list uses the index). */
  finalize: (ids: string[]) => `
UPDATE connections SET
  is_final = true,
  finalized_at_ms = COALESCE(connections.finalized_at_ms, $2),
  join_deadline_ms = NULL,
  claimed_until_ms = NULL,
  cause = v.cause, evidence = v.evidence, service = v.service, route = v.route, code = v.code,
  reason = v.reason, phase = v.phase, observed_by = v.observed_by,
  start_time_ms = v.start_time_ms, end_time_ms = v.end_time_ms,
  handshake_ms = v.handshake_ms, open_ms = v.open_ms,
  app_protocol = v.app_protocol, app_reason = v.app_reason
FROM (SELECT unnest(from_json($1::JSON, '${OUTCOME_SHAPE}'), recursive := true)) AS v
WHERE connections.id = v.id AND ${idKeyCondition(ids, 'connections.')}
  -- a stale one-sided classification (a sweeper racing a late side) never replaces a joined one
  AND NOT (connections.observed_by = 'both' AND v.observed_by <> 'both')`,

  deleteOlderThan: 'DELETE FROM connections WHERE end_time_ms < $1',
  bucketStart: (bucketParam: string) => `(end_time_ms // ${bucketParam}) * ${bucketParam}`,
} as const;
