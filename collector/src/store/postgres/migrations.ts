import type { Migration } from '../migration.js';

/** PostgreSQL schema, oldest first. */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'connections',
    statements: [
      `CREATE TABLE connections (
        id TEXT PRIMARY KEY,
        trace_id TEXT NOT NULL,
        client JSONB,
        server JSONB,
        join_deadline_ms BIGINT,
        claimed_until_ms BIGINT,
        is_final BOOLEAN NOT NULL DEFAULT false,
        finalized_at_ms BIGINT,
        updated_at_ms BIGINT NOT NULL,
        cause TEXT,
        evidence JSONB,
        service TEXT,
        route TEXT,
        code INTEGER,
        reason TEXT,
        phase TEXT,
        observed_by TEXT,
        start_time_ms BIGINT NOT NULL,
        end_time_ms BIGINT NOT NULL,
        handshake_ms DOUBLE PRECISION,
        open_ms DOUBLE PRECISION
      )`,
      // time range scans, newest-first paging and retention
      'CREATE INDEX connections_end_time_id ON connections (end_time_ms, id)',
      'CREATE INDEX connections_final_service_route ON connections (service, route, end_time_ms) WHERE is_final',
      'CREATE INDEX connections_final_cause ON connections (cause, end_time_ms) WHERE is_final',
      'CREATE INDEX connections_final_code ON connections (code, end_time_ms) WHERE is_final',
      // the sweeper's claimExpired and the pending gauge only ever look at non-final rows
      'CREATE INDEX connections_pending_deadline ON connections (join_deadline_ms) WHERE NOT is_final',
    ],
  },
  {
    version: 2,
    name: 'alerts',
    statements: [
      `CREATE TABLE alert_rules (
        id TEXT PRIMARY KEY,
        rule JSONB NOT NULL,
        created_at_ms BIGINT NOT NULL,
        updated_at_ms BIGINT NOT NULL
      )`,
      `CREATE TABLE alert_states (
        rule_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        since_ms BIGINT NOT NULL,
        value DOUBLE PRECISION,
        last_evaluated_ms BIGINT NOT NULL,
        last_notification_error TEXT,
        details JSONB NOT NULL
      )`,
      `CREATE TABLE alert_history (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        rule_id TEXT NOT NULL,
        at_ms BIGINT NOT NULL,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        value DOUBLE PRECISION
      )`,
      'CREATE INDEX alert_history_rule_at ON alert_history (rule_id, at_ms DESC, seq DESC)',
    ],
  },
  {
    version: 3,
    name: 'the app protocol on top of WebSocket and its own close reason',
    statements: ['ALTER TABLE connections ADD COLUMN app_protocol TEXT', 'ALTER TABLE connections ADD COLUMN app_reason TEXT'],
  },
  {
    version: 4,
    name: 'quarantine: rows the store refused, with their error',
    statements: [
      `CREATE TABLE quarantine (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at_ms BIGINT NOT NULL,
        operation TEXT NOT NULL,
        connection_id TEXT,
        error TEXT NOT NULL,
        payload TEXT NOT NULL
      )`,
    ],
  },
  {
    version: 5,
    name: 'fleet: agents seen, abrupt ends and mass drops (docs/design.md "Agents known", "Mass drops")',
    statements: [
      `CREATE TABLE agents (
        side TEXT NOT NULL,
        service TEXT NOT NULL,
        instance TEXT NOT NULL,
        route TEXT NOT NULL,
        scope TEXT NOT NULL,
        first_seen_ms BIGINT NOT NULL,
        last_seen_ms BIGINT NOT NULL,
        spans BIGINT NOT NULL,
        PRIMARY KEY (side, service, instance, route)
      )`,
      `CREATE TABLE abrupt_ends (
        connection_id TEXT NOT NULL,
        side TEXT NOT NULL,
        end_time_ms BIGINT NOT NULL,
        service TEXT NOT NULL,
        instance TEXT NOT NULL,
        route TEXT NOT NULL,
        target TEXT NOT NULL,
        PRIMARY KEY (connection_id, side)
      )`,
      'CREATE INDEX abrupt_ends_end_time ON abrupt_ends (end_time_ms)',
      `CREATE TABLE mass_drops (
        id TEXT PRIMARY KEY,
        cause TEXT NOT NULL,
        grouping TEXT NOT NULL,
        route TEXT NOT NULL,
        target TEXT NOT NULL,
        service TEXT NOT NULL,
        instance TEXT NOT NULL,
        connections INTEGER NOT NULL,
        first_end_ms BIGINT NOT NULL,
        last_end_ms BIGINT NOT NULL,
        last_seen_ms BIGINT,
        detected_at_ms BIGINT NOT NULL
      )`,
      'CREATE INDEX mass_drops_first_end ON mass_drops (first_end_ms)',
    ],
  },
  {
    version: 6,
    name: 'the last open-connection snapshot per connection',
    statements: [
      `CREATE TABLE snapshots (
        connection_id TEXT PRIMARY KEY,
        trace_id TEXT NOT NULL,
        span_id TEXT NOT NULL,
        service TEXT NOT NULL,
        time_ms DOUBLE PRECISION NOT NULL,
        taken_at_ms DOUBLE PRECISION NOT NULL,
        received_at_ms BIGINT NOT NULL,
        attributes TEXT NOT NULL,
        count INTEGER NOT NULL
      )`,
      'CREATE INDEX snapshots_received_at ON snapshots (received_at_ms)',
    ],
  },
];
