/**
 * One INSERT … SELECT FROM range(n) that fills `connections` with final rows in end-time order (as ingest
 * writes them, ±30 s), with realistic cardinalities: 20 services × 10 routes, 15 causes of the taxonomy, a
 * 1006-heavy code mix. Sides are left NULL: aggregates read only the outcome columns of this columnar table.
 */
export function generateConnectionsSql(rows: number, fromMs: number, spanMs: number): string {
  const causes = [
    'normal_closure',
    'normal_closure',
    'normal_closure',
    'client_offline',
    'client_suspended',
    'page_unload',
    'server_terminated',
    'server_heartbeat_timeout',
    'intermediary_timeout',
    'connection_lost',
    'unknown',
    'handshake_auth_rejected',
    'handshake_http_rejected',
    'handshake_network_error',
    'application_close',
  ];
  const list = (values: Array<string | number>) => `[${values.map((v) => (typeof v === 'string' ? `'${v}'` : v)).join(', ')}]`;
  return `
INSERT INTO connections (id, trace_id, is_final, finalized_at_ms, updated_at_ms, cause, evidence, service, route, code,
                         reason, phase, observed_by, start_time_ms, end_time_ms, handshake_ms, open_ms)
SELECT printf('%032x-%016x', i, hash(i) >> 1), printf('%032x', i), true, e, e,
       ${list(causes)}[1 + (hash(i + 1) % ${causes.length})::INTEGER], '[]',
       'svc-' || (hash(i + 2) % 20)::VARCHAR,
       '/route/' || (hash(i + 3) % 10)::VARCHAR,
       ${list([1000, 1001, 1006, 1006, 1006, 1011, 4001, 1008])}[1 + (hash(i + 4) % 8)::INTEGER],
       '', ${list(['handshake', 'open', 'open', 'closing'])}[1 + (hash(i + 5) % 4)::INTEGER],
       ${list(['client', 'server', 'both', 'both'])}[1 + (hash(i + 6) % 4)::INTEGER],
       e - 60000, e, 20.5, 59000.0
FROM (SELECT i, ${fromMs} + (i * ${spanMs} // ${rows}) + (hash(i + 7) % 60000)::BIGINT - 30000 AS e FROM range(${rows}) r(i))`;
}
