import type { CollectorConfig } from '../config.js';
import { MAX_JOIN_WINDOW_MS } from '../store/store-limits.js';

export type OptionKind = 'port' | 'integer' | 'string' | 'optionalString' | 'list' | 'boolean' | 'url' | 'optionalUrl' | 'proxyTimeouts' | 'addressList';

export interface OptionSpec {
  key: keyof CollectorConfig;
  env: string;
  kind: OptionKind;
  min?: number;
  max?: number;
}

/** Every configuration option: its key (also the config file key), its environment variable and its type. */
export const CONFIG_OPTIONS: readonly OptionSpec[] = [
  { key: 'port', env: 'CLOSEWATCH_PORT', kind: 'port' },
  { key: 'host', env: 'CLOSEWATCH_HOST', kind: 'string' },
  { key: 'dataDir', env: 'CLOSEWATCH_DATA_DIR', kind: 'string' },
  { key: 'databaseUrl', env: 'CLOSEWATCH_DATABASE_URL', kind: 'optionalUrl' },
  { key: 'joinWindowMs', env: 'CLOSEWATCH_JOIN_WINDOW_MS', kind: 'integer', min: 0, max: MAX_JOIN_WINDOW_MS },
  { key: 'retentionDays', env: 'CLOSEWATCH_RETENTION_DAYS', kind: 'integer', min: 1, max: 3650 },
  { key: 'ingestKeys', env: 'CLOSEWATCH_INGEST_KEYS', kind: 'list' },
  { key: 'allowedOrigins', env: 'CLOSEWATCH_ALLOWED_ORIGINS', kind: 'list' },
  { key: 'maxBodyBytes', env: 'CLOSEWATCH_MAX_BODY_BYTES', kind: 'integer', min: 1024, max: 256 * 1024 * 1024 },
  { key: 'adminToken', env: 'CLOSEWATCH_ADMIN_TOKEN', kind: 'optionalString' },
  { key: 'publicUrl', env: 'CLOSEWATCH_PUBLIC_URL', kind: 'url' },
  { key: 'trustProxy', env: 'CLOSEWATCH_TRUST_PROXY', kind: 'boolean' },
  { key: 'maxInFlightRequests', env: 'CLOSEWATCH_MAX_IN_FLIGHT_REQUESTS', kind: 'integer', min: 1, max: 100_000 },
  { key: 'rateLimitPerSecond', env: 'CLOSEWATCH_RATE_LIMIT_PER_SECOND', kind: 'integer', min: 0, max: 1_000_000 },
  { key: 'rateLimitBurst', env: 'CLOSEWATCH_RATE_LIMIT_BURST', kind: 'integer', min: 1, max: 1_000_000 },
  { key: 'maxPendingConnections', env: 'CLOSEWATCH_MAX_PENDING_CONNECTIONS', kind: 'integer', min: 0, max: 100_000_000 },
  { key: 'sweepIntervalMs', env: 'CLOSEWATCH_SWEEP_INTERVAL_MS', kind: 'integer', min: 10, max: 60 * 60 * 1000 },
  { key: 'retentionIntervalMs', env: 'CLOSEWATCH_RETENTION_INTERVAL_MS', kind: 'integer', min: 1000, max: 7 * 24 * 60 * 60 * 1000 },
  { key: 'maxRouteLabels', env: 'CLOSEWATCH_MAX_ROUTE_LABELS', kind: 'integer', min: 1, max: 100_000 },
  { key: 'maxServiceLabels', env: 'CLOSEWATCH_MAX_SERVICE_LABELS', kind: 'integer', min: 1, max: 100_000 },
  { key: 'alertsFile', env: 'CLOSEWATCH_ALERTS_FILE', kind: 'optionalString' },
  { key: 'proxyTimeouts', env: 'CLOSEWATCH_PROXY_TIMEOUTS', kind: 'proxyTimeouts' },
  { key: 'massDropMinConnections', env: 'CLOSEWATCH_MASS_DROP_MIN_CONNECTIONS', kind: 'integer', min: 2, max: 1_000_000 },
  { key: 'massDropWindowMs', env: 'CLOSEWATCH_MASS_DROP_WINDOW_MS', kind: 'integer', min: 1, max: 60_000 },
  { key: 'readRequiresToken', env: 'CLOSEWATCH_READ_REQUIRES_TOKEN', kind: 'boolean' },
  { key: 'duckdbMemoryLimit', env: 'CLOSEWATCH_DUCKDB_MEMORY_LIMIT', kind: 'optionalString' },
  { key: 'alertTargetAllowlist', env: 'CLOSEWATCH_ALERT_TARGET_ALLOWLIST', kind: 'addressList' },
  { key: 'alertIntervalMs', env: 'CLOSEWATCH_ALERT_INTERVAL_MS', kind: 'integer', min: 1000, max: 24 * 60 * 60 * 1000 },
];
