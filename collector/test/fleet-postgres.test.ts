import { after, type TestContext } from 'node:test';
import { connectPostgres, createTempDatabase, postgresUrl } from '@closewatch/test/harness';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { fleetContract } from './fleet-contract.js';

const probe = await connectPostgres();
if (!probe) {
  const notice = `PostgreSQL unreachable at ${postgresUrl}`;
  if (process.env.CI) throw new Error(`${notice} (CI is set: PostgreSQL fleet tests must run)`);
  console.log(`# skipped: ${notice}; PostgreSQL fleet tests did not run`);
}
await probe?.end();

const database = probe ? await createTempDatabase() : null;
const admin = database ? await connectPostgres(database.name) : null;
after(async () => {
  await admin?.end();
  await database?.drop();
});

function openOn(t: TestContext, url: string): PostgresStore {
  const store = new PostgresStore({ connectionString: url });
  t.after(() => store.close());
  return store;
}

if (database && admin) {
  const url = database.url;
  fleetContract('PostgreSQL', {
    async open(t) {
      const store = openOn(t, url);
      await store.migrate();
      await admin.query('TRUNCATE connections, agents, abrupt_ends, mass_drops');
      return store;
    },
    async openPeer(t) {
      const store = openOn(t, url);
      await store.migrate();
      return store;
    },
  });
}
