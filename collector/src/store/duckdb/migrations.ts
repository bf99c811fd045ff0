import type { Migration } from '../migration.js';

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
];
