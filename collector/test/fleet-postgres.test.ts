import { after, type TestContext } from 'node:test';
import { fileDatabaseOrNotice } from '@closewatch/test/harness';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { fleetContract } from './fleet-contract.js';

const file = await fileDatabaseOrNotice('PostgreSQL fleet tests', after);
const database = file?.database ?? null;
const admin = file?.admin ?? null;

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
