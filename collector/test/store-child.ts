// Child process of the durability tests: opens a store, upserts 100 sides, prints "acked", then idles until killed.
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import type { Store } from '../src/store/store.js';
import { ids, incoming } from './store-fixtures.js';

const [kind, target] = process.argv.slice(2);
const store: Store = kind === 'duckdb' ? await DuckDbStore.open(target) : new PostgresStore({ connectionString: target });
await store.migrate();
await store.upsertSides(ids('durable', 100).flatMap((id) => [incoming(id, 'client'), incoming(id, 'server')]));
process.stdout.write('acked\n');
setInterval(() => undefined, 60_000);
