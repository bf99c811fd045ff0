import { checkMigrationOrder } from '../migration.js';
import type { DuckDbSession } from './duckdb-session.js';
import { DUCKDB_MIGRATIONS } from './migrations.js';
import { toNumber } from '../row-values.js';

/** Applies the DuckDB migrations not yet recorded; one process owns the file, so no lock is needed. */
export async function migrateDuckDb(session: DuckDbSession, nowMs: number): Promise<void> {
  checkMigrationOrder(DUCKDB_MIGRATIONS);
  await session.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at_ms BIGINT NOT NULL)');
  const applied = new Set((await session.all('SELECT version FROM schema_migrations')).map((row) => toNumber(row.version)));
  for (const migration of DUCKDB_MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    await session.transaction(async (tx) => {
      for (const statement of migration.statements) await tx.run(statement);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)', [migration.version, migration.name, nowMs]);
    });
  }
}
