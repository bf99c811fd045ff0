import { CONNECTION_COLUMNS } from '../connection-row.js';

/** Whether the row's slot holds another span than the incoming one (distinct spans never merge). */
const OTHER_SPAN = (side: 'client' | 'server') =>
  `(connections.${side} IS NOT NULL AND excluded.${side} IS NOT NULL AND connections.${side}->>'spanId' <> excluded.${side}->>'spanId')`;

/** PostgreSQL-only statements: batches travel as parallel arrays unnested into rows, one statement per batch. */
export const POSTGRES_SQL = {
  upsertSides: `
INSERT INTO connections (id, trace_id, client, server, join_deadline_ms, start_time_ms, end_time_ms, updated_at_ms)
SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::jsonb[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
ON CONFLICT (id) DO UPDATE SET
  client = CASE WHEN ${OTHER_SPAN('client')} THEN connections.client ELSE COALESCE(excluded.client, connections.client) END,
  server = CASE WHEN ${OTHER_SPAN('server')} THEN connections.server ELSE COALESCE(excluded.server, connections.server) END,
  join_deadline_ms = CASE WHEN connections.is_final OR ${OTHER_SPAN('server')} THEN connections.join_deadline_ms
                          ELSE LEAST(connections.join_deadline_ms, excluded.join_deadline_ms) END,
  start_time_ms = CASE WHEN connections.is_final OR ${OTHER_SPAN('server')} THEN connections.start_time_ms
                       ELSE LEAST(connections.start_time_ms, excluded.start_time_ms) END,
  end_time_ms = CASE WHEN connections.is_final OR ${OTHER_SPAN('server')} THEN connections.end_time_ms
                     ELSE GREATEST(connections.end_time_ms, excluded.end_time_ms) END,
  updated_at_ms = GREATEST(connections.updated_at_ms, excluded.updated_at_ms)
RETURNING ${CONNECTION_COLUMNS}`,

  updateEvidence: `
UPDATE connections AS c SET evidence = v.evidence
FROM unnest($1::text[], $2::jsonb[]) AS v(id, evidence)
WHERE c.id = v.id AND c.is_final`,

  /** Locks every target row in id order (so concurrent finalizers cannot deadlock) and reads the committed flag. */
  lockForFinalize: 'SELECT id, is_final FROM connections WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',

  finalize: `
UPDATE connections AS c SET
  is_final = true,
  finalized_at_ms = COALESCE(c.finalized_at_ms, $14),
  join_deadline_ms = NULL,
  claimed_until_ms = NULL,
  cause = v.cause, evidence = v.evidence, service = v.service, route = v.route, code = v.code,
  reason = v.reason, phase = v.phase, observed_by = v.observed_by,
  start_time_ms = v.start_time_ms, end_time_ms = v.end_time_ms,
  handshake_ms = v.handshake_ms, open_ms = v.open_ms
FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[],
            $10::bigint[], $11::bigint[], $12::float8[], $13::float8[])
  AS v(id, cause, evidence, service, route, code, reason, phase, observed_by, start_time_ms, end_time_ms, handshake_ms, open_ms)
WHERE c.id = v.id
  -- a final row keeps the outcome it was counted with (a late side only adds evidence)
  AND NOT c.is_final`,

  /** SKIP LOCKED lets concurrent sweepers take disjoint rows; the lease hides them until it runs out. */
  claimExpired: `
UPDATE connections AS c SET claimed_until_ms = $1
FROM (
  SELECT id AS due_id FROM connections
  WHERE NOT is_final AND join_deadline_ms <= $2 AND (claimed_until_ms IS NULL OR claimed_until_ms <= $2)
  ORDER BY join_deadline_ms, id
  LIMIT $3
  FOR UPDATE SKIP LOCKED
) AS due
WHERE c.id = due.due_id
RETURNING ${CONNECTION_COLUMNS}`,

  countPending: 'SELECT count(*) AS pending FROM connections WHERE NOT is_final',
  deleteOlderThan: 'DELETE FROM connections WHERE end_time_ms < $1',
  getConnection: `SELECT ${CONNECTION_COLUMNS} FROM connections WHERE id = $1`,
  bucketStart: (bucketParam: string) => `(end_time_ms / ${bucketParam}::bigint) * ${bucketParam}::bigint`,
} as const;
