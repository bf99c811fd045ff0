import type { CollectorConfig } from '../config.js';
import type { Store } from './store.js';

/**
 * The configured store, migrated and ready: PostgreSQL when `databaseUrl` is set, else the DuckDB file in `dataDir`.
 * `log` hears about rows the store sets aside (at startup too). Each store's module is loaded only when used: `pg` and DuckDB's bindings add ~15 and ~25 MB of RSS.
 */
export async function openStore(
  config: Pick<CollectorConfig, 'dataDir' | 'databaseUrl'> & Partial<Pick<CollectorConfig, 'duckdbMemoryLimit'>>,
  options: { log?: (message: string) => void } = {},
): Promise<Store> {
  const { log } = options;
  const store: Store = config.databaseUrl
    ? new (await import('./postgres/postgres-store.js')).PostgresStore({ connectionString: config.databaseUrl, log })
    : await (await import('./duckdb/duckdb-store.js')).DuckDbStore.open(config.dataDir, { memoryLimit: config.duckdbMemoryLimit ?? null, log });
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
