import type { CollectorConfig } from '../config.js';
import { DuckDbStore } from './duckdb/duckdb-store.js';
import { PostgresStore } from './postgres/postgres-store.js';
import type { Store } from './store.js';

/** The configured store, migrated and ready: PostgreSQL when `databaseUrl` is set, else the DuckDB file in `dataDir`. */
export async function openStore(config: Pick<CollectorConfig, 'dataDir' | 'databaseUrl'> & Partial<Pick<CollectorConfig, 'duckdbMemoryLimit'>>): Promise<Store> {
  const store: Store = config.databaseUrl
    ? new PostgresStore({ connectionString: config.databaseUrl })
    : await DuckDbStore.open(config.dataDir, { memoryLimit: config.duckdbMemoryLimit ?? null });
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
