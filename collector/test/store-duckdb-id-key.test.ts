import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { makeTempDir } from '@closewatch/test/harness';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { ID_KEY_SQL, idKey } from '../src/store/duckdb/id-key.js';
import { incoming, outcome, T0 } from './store-fixtures.js';

async function openStore(t: TestContext): Promise<DuckDbStore> {
  const dir = makeTempDir('store-duckdb-id-key');
  t.after(() => dir.remove());
  const store = await DuckDbStore.open(dir.path);
  t.after(() => store.close());
  await store.migrate();
  return store;
}

test('the id key computed in JS is the one DuckDB computes for inserted and migrated rows', async () => {
  const ids = ['4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7', '4BF92F3577B34DA6-X', 'abc', 'abc-def', 'conn-1', '', "it's"];
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const id of ids) {
      const [row] = (await connection.runAndReadAll(`SELECT ${ID_KEY_SQL('$1::VARCHAR')} AS k`, [id])).getRowObjectsJS();
      const sqlKey = row.k === null ? null : Number(row.k);
      assert.equal(idKey(id), sqlKey, id);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
});

test('connections of one trace share a key: each lookup, late side and evidence update finds only its own row', async (t) => {
  const store = await openStore(t);
  const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
  const [a, b] = [`${trace}-00f067aa0ba902b7`, `${trace}-00f067aa0ba902b8`];
  assert.equal(idKey(a), idKey(b));
  await store.upsertSides([incoming(a, 'client', { traceId: trace }, null), incoming(b, 'client', { traceId: trace }, null)]);
  await store.finalize(
    [
      { id: a, outcome: outcome({ cause: 'client_offline', observedBy: 'client' }) },
      { id: b, outcome: outcome({ cause: 'page_unload', observedBy: 'client' }) },
    ],
    T0,
  );
  assert.equal((await store.getConnection(a))?.outcome?.cause, 'client_offline');
  assert.equal((await store.getConnection(b))?.outcome?.cause, 'page_unload');
  const [late] = await store.upsertSides([incoming(b, 'server', { traceId: trace })]);
  assert.equal(late?.id, b);
  assert.equal(late?.final, true);
  await store.updateEvidence([{ id: b, evidence: ['late server side'] }]);
  const [rowA, rowB] = [await store.getConnection(a), await store.getConnection(b)];
  assert.equal(rowA?.server, null);
  assert.equal(rowA?.outcome?.cause, 'client_offline');
  assert.deepEqual(rowA?.outcome?.evidence, outcome().evidence);
  assert.equal(rowB?.server?.side, 'server');
  assert.deepEqual(rowB?.outcome?.evidence, ['late server side']);
  assert.equal(await store.getConnection(`${trace}-00f067aa0ba902b9`), null);
});
