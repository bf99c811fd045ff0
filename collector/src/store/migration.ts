/** One schema step; applied once, in its own transaction, recorded in `schema_migrations`. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/** Guards against a list edited out of order: versions must be 1, 2, 3 … */
export function checkMigrationOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration ${migration.name} has version ${migration.version}, expected ${index + 1}`);
    }
  });
}
