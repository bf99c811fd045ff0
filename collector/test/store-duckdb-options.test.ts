import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeTempDir } from '@closewatch/test/harness';
import { loadConfig } from '../src/config/load-config.js';
import { openDuckDbFile } from '../src/store/duckdb/open-duckdb.js';

test('CLOSEWATCH_DUCKDB_MEMORY_LIMIT reaches DuckDB as its memory_limit', async (t) => {
  const dir = makeTempDir('duckdb-options');
  t.after(() => dir.remove());
  const config = loadConfig({ env: { CLOSEWATCH_DUCKDB_MEMORY_LIMIT: '64MB' } });
  assert.equal(config.duckdbMemoryLimit, '64MB');
  const { instance } = await openDuckDbFile(dir.path, { memoryLimit: config.duckdbMemoryLimit });
  const connection = await instance.connect();
  t.after(() => {
    connection.closeSync();
    instance.closeSync();
  });
  const [[limit]] = (await connection.runAndReadAll("SELECT current_setting('memory_limit')")).getRows() as [[string]];
  assert.match(limit, /^6[01](\.\d+)? MiB$/);
});

test('without CLOSEWATCH_DUCKDB_MEMORY_LIMIT the embedded store bounds DuckDB memory at 128MB', async (t) => {
  const dir = makeTempDir('duckdb-options-default');
  t.after(() => dir.remove());
  const config = loadConfig({ env: {} });
  assert.equal(config.duckdbMemoryLimit, null);
  const { instance } = await openDuckDbFile(dir.path, { memoryLimit: config.duckdbMemoryLimit });
  const connection = await instance.connect();
  t.after(() => {
    connection.closeSync();
    instance.closeSync();
  });
  const setting = async (name: string) => ((await connection.runAndReadAll(`SELECT current_setting('${name}')`)).getRows() as [[unknown]])[0][0];
  assert.match(String(await setting('memory_limit')), /^12[12](\.\d+)? MiB$/);
});
