import type pg from 'pg';
import { checkMigrationOrder } from '../migration.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';

/** Any fixed key works; every collector instance uses this one to serialise migrations. */
const MIGRATION_LOCK = 'closewatch.schema_migrations';

/** Applies missing migrations, each in its own transaction, under an advisory lock so concurrent starts take turns. */
export async function migratePostgres(client: pg.ClientBase, nowMs: number): Promise<void> {
  checkMigrationOrder(POSTGRES_MIGRATIONS);
  await client.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    for (const migration of POSTGRES_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        for (const statement of migration.statements) await client.query(statement);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)', [migration.version, migration.name, nowMs]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]).catch(() => undefined);
  }
}
