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
};
