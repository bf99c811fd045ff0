import { CONNECTION_COLUMNS } from '../connection-row.js';

/** Ids as an SQL list of string literals (quotes doubled, so any id is safe). */
function sqlStringList(ids: string[]): string {
  return ids.map((id) => `'${id.replaceAll("'", "''")}'`).join(', ');
}

/** from_json shapes for the one JSON parameter that carries a whole batch. */
const UPSERT_SHAPE = JSON.stringify([
  {
    id: 'VARCHAR',
    trace_id: 'VARCHAR',
    client: 'JSON',
    server: 'JSON',
    join_deadline_ms: 'BIGINT',
    start_time_ms: 'BIGINT',
    end_time_ms: 'BIGINT',
    updated_at_ms: 'BIGINT',
  },
]);

const OUTCOME_SHAPE = JSON.stringify([
  {
    id: 'VARCHAR',
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
  },
]);

/** DuckDB-only statements: batches travel as one JSON parameter unnested into rows, one statement per batch. */
export const DUCKDB_SQL = {
  upsertSides: `
INSERT INTO connections (id, trace_id, client, server, join_deadline_ms, start_time_ms, end_time_ms, updated_at_ms)
SELECT id, trace_id, client, server, join_deadline_ms, start_time_ms, end_time_ms, updated_at_ms
FROM (SELECT unnest(from_json($1::JSON, '${UPSERT_SHAPE}'), recursive := true))
ON CONFLICT (id) DO UPDATE SET
  client = COALESCE(excluded.client, connections.client),
  server = COALESCE(excluded.server, connections.server),
  join_deadline_ms = CASE WHEN connections.is_final THEN connections.join_deadline_ms
                          ELSE least(connections.join_deadline_ms, excluded.join_deadline_ms) END,
  start_time_ms = CASE WHEN connections.is_final THEN connections.start_time_ms
                       ELSE least(connections.start_time_ms, excluded.start_time_ms) END,
  end_time_ms = CASE WHEN connections.is_final THEN connections.end_time_ms
                     ELSE greatest(connections.end_time_ms, excluded.end_time_ms) END,
  updated_at_ms = greatest(connections.updated_at_ms, excluded.updated_at_ms)
RETURNING ${CONNECTION_COLUMNS}`,

  /** The ids go in as literals: only a constant IN list lets DuckDB use the primary-key index (else a full scan). */
  finalFlags: (ids: string[]) => `SELECT id, is_final FROM connections WHERE id IN (${sqlStringList(ids)})`,

  finalize: (ids: string[]) => `
UPDATE connections SET
  is_final = true,
  finalized_at_ms = COALESCE(connections.finalized_at_ms, $2),
  join_deadline_ms = NULL,
  claimed_until_ms = NULL,
  cause = v.cause, evidence = v.evidence, service = v.service, route = v.route, code = v.code,
  reason = v.reason, phase = v.phase, observed_by = v.observed_by,
  start_time_ms = v.start_time_ms, end_time_ms = v.end_time_ms,
  handshake_ms = v.handshake_ms, open_ms = v.open_ms
FROM (SELECT unnest(from_json($1::JSON, '${OUTCOME_SHAPE}'), recursive := true)) AS v
WHERE connections.id = v.id AND connections.id IN (${sqlStringList(ids)})`,

  dueIds: `
SELECT id FROM connections
WHERE NOT is_final AND join_deadline_ms <= $1 AND (claimed_until_ms IS NULL OR claimed_until_ms <= $1)
ORDER BY join_deadline_ms, id
LIMIT $2`,

  claim: (ids: string[]) => `
UPDATE connections SET claimed_until_ms = $1
WHERE id IN (${sqlStringList(ids)})
RETURNING ${CONNECTION_COLUMNS}`,

  countPending: 'SELECT count(*) AS pending FROM connections WHERE NOT is_final',
  deleteOlderThan: 'DELETE FROM connections WHERE end_time_ms < $1',
  getConnection: `SELECT ${CONNECTION_COLUMNS} FROM connections WHERE id = $1`,
  bucketStart: (bucketParam: string) => `(end_time_ms // ${bucketParam}) * ${bucketParam}`,
} as const;
