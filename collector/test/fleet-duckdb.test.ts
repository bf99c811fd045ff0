import type { TestContext } from 'node:test';
import { makeTempDir } from '@closewatch/test/harness';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { fleetContract } from './fleet-contract.js';

async function openDuckDb(t: TestContext): Promise<DuckDbStore> {
  const dir = makeTempDir('fleet-duckdb');
  t.after(() => dir.remove());
  const store = await DuckDbStore.open(dir.path);
  t.after(() => store.close());
  await store.migrate();
  return store;
}

fleetContract('DuckDB', { open: openDuckDb });
