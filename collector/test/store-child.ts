// Child process of the store tests, killed with SIGKILL by its parent:
//   upsert <duckdb|postgres> <dataDir|url>   upserts 100 connections, prints "acked"
//   finalize <duckdb|postgres> <dataDir|url> upserts and finalises 100 connections, prints "acked"
//   lead <url> <name>                         acquires leadership, prints "leader"
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import type { Store } from '../src/store/store.js';
import { ids, incoming, outcome } from './store-fixtures.js';

const [mode, kind, target, name] = process.argv.slice(2);

async function openChildStore(): Promise<Store> {
  const store = kind === 'duckdb' ? await DuckDbStore.open(target) : new PostgresStore({ connectionString: target });
  await store.migrate();
  return store;
}

const store = await openChildStore();
if (mode === 'upsert') {
  await store.upsertSides(ids('durable', 100).flatMap((id) => [incoming(id, 'client'), incoming(id, 'server')]));
  process.stdout.write('acked\n');
} else if (mode === 'finalize') {
  const all = ids('durable', 100);
  await store.upsertSides(all.flatMap((id) => [incoming(id, 'client'), incoming(id, 'server')]));
  await store.finalize(
    all.map((id) => ({ id, outcome: outcome() })),
    Date.now(),
  );
  process.stdout.write('acked\n');
} else if (mode === 'lead') {
  if (!(await store.tryAcquireLeadership(name))) throw new Error('leadership was not free');
  process.stdout.write('leader\n');
}
setInterval(() => undefined, 60_000);
