import { DEFAULT_MASS_DROP_MIN_CONNECTIONS, DEFAULT_MASS_DROP_WINDOW_MS } from '@closewatch/conventions';

/** Collector configuration, merged once from defaults, an optional file, env and CLI flags. */
export interface CollectorConfig {
  port: number;
  host: string;
  /** DuckDB data directory (embedded store). */
  dataDir: string;
  /** PostgreSQL URL; when set the PostgreSQL store is used. */
  databaseUrl: string | null;
  /** How long after a span's end the collector waits for the other side. */
  joinWindowMs: number;
  retentionDays: number;
  /** Accepted ingest keys; empty = no key required. */
  ingestKeys: string[];
  /** Allowed browser origins for ingest; empty = any. */
  allowedOrigins: string[];
  /** Max request body size, compressed and decompressed. */
  maxBodyBytes: number;
  /** Token required for write operations (alert rules); null = none. */
  adminToken: string | null;
  /** Base URL users reach this collector at (links in alerts, snippet in Setup). */
  publicUrl: string;
  /** Take the client address from X-Forwarded-For (behind a trusted proxy) for rate limiting. */
  trustProxy: boolean;
  /** Ingest requests processed at once; more are answered 429 with Retry-After. */
  maxInFlightRequests: number;
  /** Ingest requests per second per client address and key; 0 = no limit. */
  rateLimitPerSecond: number;
  /** Requests a client may send in a burst above the rate. */
  rateLimitBurst: number;
  /** Connections waiting for their other side; past it new sides are finalised alone (join overflow). */
  maxPendingConnections: number;
  /** How often expired joins are finalised. */
  sweepIntervalMs: number;
  /** How often the retention job runs. */
  retentionIntervalMs: number;
  /** Distinct `route` / `service` label values exported before `__other__`. */
  maxRouteLabels: number;
  maxServiceLabels: number;
  /** YAML/JSON alert rules loaded into the store at start (the file wins over API edits of the same id). */
  alertsFile: string | null;
  /**
   * The team's own proxy / load-balancer timeouts, `name=duration[:idle|lifetime]` (e.g. `edge-nginx=75s`),
   * matched by the classifier before the known product defaults to recognise `intermediary_timeout`.
   */
  proxyTimeouts: string[];
  /** A mass drop needs this many abrupt ends in one group (server instance and route, or client target)… */
  massDropMinConnections: number;
  /** …within this many ms of each other (docs/design.md "Mass drops"). */
  massDropWindowMs: number;
  /** Reads of /api/v1 need the admin token too (default: reads are open, writes need it). */
  readRequiresToken: boolean;
  /** How often alert rules are evaluated (on the leader instance). */
  alertIntervalMs: number;
  /** DuckDB `memory_limit` for the embedded store (e.g. "256MB"); null = the store's default, 128MB. */
  duckdbMemoryLimit: string | null;
  /**
   * Addresses or CIDR ranges alert targets may reach although they are refused by default
   * (loopback while the collector listens beyond loopback, link-local, metadata).
   */
  alertTargetAllowlist: string[];
}

export const DEFAULT_CONFIG: CollectorConfig = {
  port: 4318,
  host: '127.0.0.1',
  dataDir: './.closewatch',
  databaseUrl: null,
  joinWindowMs: 30_000,
  retentionDays: 14,
  ingestKeys: [],
  allowedOrigins: [],
  maxBodyBytes: 4 * 1024 * 1024,
  adminToken: null,
  publicUrl: 'http://127.0.0.1:4318',
  trustProxy: false,
  maxInFlightRequests: 64,
  rateLimitPerSecond: 200,
  rateLimitBurst: 400,
  maxPendingConnections: 100_000,
  sweepIntervalMs: 1000,
  retentionIntervalMs: 60 * 60 * 1000,
  maxRouteLabels: 200,
  maxServiceLabels: 100,
  alertsFile: null,
  proxyTimeouts: [],
  massDropMinConnections: DEFAULT_MASS_DROP_MIN_CONNECTIONS,
  massDropWindowMs: DEFAULT_MASS_DROP_WINDOW_MS,
  readRequiresToken: false,
  alertIntervalMs: 30_000,
  duckdbMemoryLimit: null,
  alertTargetAllowlist: [],
};
