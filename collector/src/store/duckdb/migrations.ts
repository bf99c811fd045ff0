import type { Migration } from '../migration.js';
import { ID_KEY_SQL } from './id-key.js';

/** Version 3 moves each pending row's sides into the side log (seq in id order); `connections` keeps final rows only. */
function sideLogRows(side: 'client' | 'server'): string {
  return `SELECT id, trace_id, '${side}' AS side, ${side} AS span, join_deadline_ms, start_time_ms, end_time_ms, updated_at_ms
    FROM connections WHERE NOT is_final AND ${side} IS NOT NULL`;
}

/**
 * DuckDB schema, oldest first. Time-range filters need no secondary index here: rows arrive in
 * roughly end-time order and DuckDB's per-row-group min/max statistics skip the rest of the table.
 */
export const DUCKDB_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'connections',
    statements: [
      `CREATE TABLE connections (
        id VARCHAR PRIMARY KEY,
        trace_id VARCHAR NOT NULL,
        client JSON,
        server JSON,
        join_deadline_ms BIGINT,
        claimed_until_ms BIGINT,
        is_final BOOLEAN NOT NULL DEFAULT false,
        finalized_at_ms BIGINT,
        updated_at_ms BIGINT NOT NULL,
        cause VARCHAR,
        evidence JSON,
        service VARCHAR,
        route VARCHAR,
        code INTEGER,
        reason VARCHAR,
        phase VARCHAR,
        observed_by VARCHAR,
        start_time_ms BIGINT NOT NULL,
        end_time_ms BIGINT NOT NULL,
        handshake_ms DOUBLE,
        open_ms DOUBLE
      )`,
    ],
  },
  {
    version: 2,
    name: 'alerts',
    statements: [
      `CREATE TABLE alert_rules (
        id VARCHAR PRIMARY KEY,
        rule JSON NOT NULL,
        created_at_ms BIGINT NOT NULL,
        updated_at_ms BIGINT NOT NULL
      )`,
      `CREATE TABLE alert_states (
        rule_id VARCHAR PRIMARY KEY,
        state VARCHAR NOT NULL,
        since_ms BIGINT NOT NULL,
        value DOUBLE,
        last_evaluated_ms BIGINT NOT NULL,
        last_notification_error VARCHAR,
        details JSON NOT NULL
      )`,
      'CREATE SEQUENCE alert_history_seq',
      `CREATE TABLE alert_history (
        seq BIGINT NOT NULL DEFAULT nextval('alert_history_seq'),
        rule_id VARCHAR NOT NULL,
        at_ms BIGINT NOT NULL,
        from_state VARCHAR NOT NULL,
        to_state VARCHAR NOT NULL,
        value DOUBLE
      )`,
    ],
  },
  {
    version: 3,
    name: 'side log, connections without a unique constraint',
    statements: [
      `CREATE TABLE sides (
        seq BIGINT NOT NULL,
        connection_id VARCHAR NOT NULL,
        trace_id VARCHAR NOT NULL,
        side VARCHAR NOT NULL,
        span JSON NOT NULL,
        join_deadline_ms BIGINT,
        start_time_ms BIGINT NOT NULL,
        end_time_ms BIGINT NOT NULL,
        updated_at_ms BIGINT NOT NULL,
        pending_from_seq BIGINT NOT NULL
      )`,
      `INSERT INTO sides
       SELECT row_number() OVER (ORDER BY id, side), id, trace_id, side, span, join_deadline_ms, start_time_ms, end_time_ms, updated_at_ms, 0
       FROM (${sideLogRows('client')} UNION ALL ${sideLogRows('server')})`,
      // A row is appended once, when final; checking a PRIMARY KEY at commit cost DuckDB ~4× the append
      // itself, while a plain index keeps id lookups as fast. Uniqueness is the store's (one writer).
      `CREATE TABLE final_connections (
        id VARCHAR NOT NULL,
        trace_id VARCHAR NOT NULL,
        client JSON,
        server JSON,
        join_deadline_ms BIGINT,
        claimed_until_ms BIGINT,
        is_final BOOLEAN NOT NULL DEFAULT false,
        finalized_at_ms BIGINT,
        updated_at_ms BIGINT NOT NULL,
        cause VARCHAR,
        evidence JSON,
        service VARCHAR,
        route VARCHAR,
        code INTEGER,
        reason VARCHAR,
        phase VARCHAR,
        observed_by VARCHAR,
        start_time_ms BIGINT NOT NULL,
        end_time_ms BIGINT NOT NULL,
        handshake_ms DOUBLE,
        open_ms DOUBLE
      )`,
      'INSERT INTO final_connections SELECT * FROM connections WHERE is_final ORDER BY end_time_ms',
      'DROP TABLE connections',
      'ALTER TABLE final_connections RENAME TO connections',
      'CREATE INDEX connections_id ON connections (id)',
    ],
  },
  {
    version: 4,
    name: 'final rows point at their sides in the side log',
    // A final row written since version 4 has client/server NULL and the seqs of its side-log rows
    // instead: the sides are written once (commit time grows with the bytes written).
    statements: ['ALTER TABLE connections ADD COLUMN client_seq BIGINT', 'ALTER TABLE connections ADD COLUMN server_seq BIGINT'],
  },
  {
    version: 5,
    name: 'sides and new final rows go through append-only journal files',
    // Sides and final rows are durable in the journal (<dataDir>/journal) and final rows point at their
    // sides' lines (client_pos / server_pos); final rows reach `connections` in bulk from memory.
    // `sides` is only read (rows of migrations 3–4); the first start moves its pending sides to the journal.
    statements: [
      'ALTER TABLE connections ADD COLUMN client_pos BIGINT',
      'ALTER TABLE connections ADD COLUMN server_pos BIGINT',
      `CREATE TABLE journal_state (
        id INTEGER PRIMARY KEY,
        finals_loaded_through BIGINT NOT NULL,
        legacy_sides_moved BOOLEAN NOT NULL,
        retention_cutoff_ms BIGINT NOT NULL
      )`,
      'INSERT INTO journal_state VALUES (1, 0, false, 0)',
    ],
  },
  {
    version: 6,
    name: 'connections are indexed on a 64-bit key of the id',
    // The index on the 49-character id was DuckDB's largest allocation while ingesting (~47 MB per
    // 500k rows); one on a BIGINT key of it is ~18 MB. Lookups go through id-key.ts.
    statements: [
      'ALTER TABLE connections ADD COLUMN id_key BIGINT',
      `UPDATE connections SET id_key = ${ID_KEY_SQL('id')}`,
      'DROP INDEX connections_id',
      'CREATE INDEX connections_id_key ON connections (id_key)',
    ],
  },
  {
    version: 7,
    name: 'the app protocol on top of WebSocket and its own close reason',
    statements: ['ALTER TABLE connections ADD COLUMN app_protocol VARCHAR', 'ALTER TABLE connections ADD COLUMN app_reason VARCHAR'],
  },
  {
    version: 8,
    name: 'fleet: agents seen and mass drops (docs/design.md "Agents known", "Mass drops"); abrupt ends stay in memory',
    statements: [
      `CREATE TABLE agents (
        side VARCHAR NOT NULL,
        service VARCHAR NOT NULL,
        instance VARCHAR NOT NULL,
        route VARCHAR NOT NULL,
        scope VARCHAR NOT NULL,
        first_seen_ms BIGINT NOT NULL,
        last_seen_ms BIGINT NOT NULL,
        spans BIGINT NOT NULL,
        PRIMARY KEY (side, service, instance, route)
      )`,
      `CREATE TABLE mass_drops (
        id VARCHAR PRIMARY KEY,
        cause VARCHAR NOT NULL,
        grouping VARCHAR NOT NULL,
        route VARCHAR NOT NULL,
        target VARCHAR NOT NULL,
        service VARCHAR NOT NULL,
        instance VARCHAR NOT NULL,
        connections INTEGER NOT NULL,
        first_end_ms BIGINT NOT NULL,
        last_end_ms BIGINT NOT NULL,
        last_seen_ms BIGINT,
        detected_at_ms BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 9,
    name: 'the last open-connection snapshot per connection',
    statements: [
      `CREATE TABLE snapshots (
        connection_id VARCHAR PRIMARY KEY,
        trace_id VARCHAR NOT NULL,
        span_id VARCHAR NOT NULL,
        service VARCHAR NOT NULL,
        time_ms DOUBLE NOT NULL,
        taken_at_ms DOUBLE NOT NULL,
        received_at_ms BIGINT NOT NULL,
        attributes VARCHAR NOT NULL,
        count INTEGER NOT NULL
      )`,
    ],
  },
];
