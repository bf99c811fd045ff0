import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { makeTempDir, spawnNode } from '@closewatch/test/harness';
import { CollectorError } from '../src/errors.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { DUCKDB_MIGRATIONS } from '../src/store/duckdb/migrations.js';
import { openStore } from '../src/store/open-store.js';
import { storeContract } from './store-contract.js';
import { ids } from './store-fixtures.js';

async function tempDir(t: TestContext): Promise<string> {
  const dir = makeTempDir('store-duckdb');
  t.after(() => dir.remove());
  return dir.path;
}

async function openDuckDb(t: TestContext, dataDir?: string): Promise<DuckDbStore> {
  const store = await DuckDbStore.open(dataDir ?? (await tempDir(t)));
  t.after(() => store.close());
  await store.migrate();
  return store;
}

storeContract('DuckDB', { open: (t) => openDuckDb(t) });

test('openStore without a database URL opens <dataDir>/closewatch.duckdb, creating the directory, migrated', async (t) => {
  const dataDir = join(await tempDir(t), 'nested', 'data');
  const store = await openStore({ dataDir, databaseUrl: null });
  t.after(() => store.close());
  assert.equal(store.kind, 'duckdb');
  assert.equal((store as DuckDbStore).path, join(dataDir, 'closewatch.duckdb'));
  assert.equal(await store.countPending(), 0);
});

test('migrations are recorded once per version, and reopening the file keeps data', async (t) => {
  const dir = await tempDir(t);
  const first = await DuckDbStore.open(dir);
  await first.migrate();
  await first.putAlertRule({ id: 'r1', rule: { a: 1 }, createdAtMs: 1, updatedAtMs: 1 });
  await first.close();

  const second = await openDuckDb(t, dir);
  await second.migrate();
  assert.deepEqual(await second.getAlertRule('r1'), { id: 'r1', rule: { a: 1 }, createdAtMs: 1, updatedAtMs: 1 });
  await second.close();

  const instance = await DuckDBInstance.create(join(dir, 'closewatch.duckdb'));
  const connection = await instance.connect();
  t.after(() => {
    connection.closeSync();
    instance.closeSync();
  });
  const rows = (await connection.runAndReadAll('SELECT version FROM schema_migrations ORDER BY version')).getRowObjectsJS();
  assert.deepEqual(rows.map((r) => Number(r.version)), DUCKDB_MIGRATIONS.map((m) => m.version));
});

test('a data directory that cannot be used fails with an error naming the database path', async (t) => {
  const dir = await tempDir(t);
  const notADir = join(dir, 'file');
  writeFileSync(notADir, 'x');
  await assert.rejects(DuckDbStore.open(join(notADir, 'data')), (error: unknown) => {
    assert.ok(error instanceof CollectorError);
    assert.equal(error.code, 'store_unavailable');
    assert.match(error.message, new RegExp(`${join(notADir, 'data', 'closewatch.duckdb')}`));
    return true;
  });
  // the database path itself is a directory: DuckDB cannot open it
  const blocked = join(dir, 'blocked');
  mkdirSync(join(blocked, 'closewatch.duckdb'), { recursive: true });
  await assert.rejects(DuckDbStore.open(blocked), /Cannot open the DuckDB store at .*blocked\/closewatch\.duckdb/);
});

test('acknowledged upserts survive SIGKILL right after the ack', async (t) => {
  const dir = await tempDir(t);
  const child = spawnNode(['--import', 'tsx', new URL('./store-child.ts', import.meta.url).pathname, 'upsert', 'duckdb', dir], { t });
  await child.waitForOutput('acked', 60_000);
  child.kill('SIGKILL');
  const exit = await child.exited;
  assert.equal(exit.signal, 'SIGKILL');

  const store = await openDuckDb(t, dir);
  assert.equal(await store.countPending(), 100);
  const record = await store.getConnection(ids('durable', 100)[99]);
  assert.ok(record?.client && record.server);
  assert.deepEqual(await store.finalize([], 0), []);
});
