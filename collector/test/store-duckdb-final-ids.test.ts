import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { DuckDBConnection } from '@duckdb/node-api';
import { makeTempDir } from '@closewatch/test/harness';
import { DuckDbJoin } from '../src/store/duckdb/duckdb-join.js';
import { DuckDbSession } from '../src/store/duckdb/duckdb-session.js';
import { Journal } from '../src/store/duckdb/journal.js';
import { migrateDuckDb } from '../src/store/duckdb/migrate.js';
import { openDuckDbFile } from '../src/store/duckdb/open-duckdb.js';
import { T0, incoming, outcome } from './store-fixtures.js';

/** A join on a fresh DuckDB file, and a connect() for its scan of final ids that waits until released. */
async function openJoin(t: TestContext) {
  const dir = makeTempDir('store-duckdb-final-ids');
  t.after(() => dir.remove());
  const { instance } = await openDuckDbFile(dir.path);
  const session = new DuckDbSession(await instance.connect());
  const journal = await Journal.open(join(dir.path, 'journal'));
  await migrateDuckDb(session, T0);
  const duckJoin = new DuckDbJoin(session, journal);
  await duckJoin.load();
  t.after(async () => {
    await duckJoin.stop();
    await journal.close();
    await session.close();
    instance.closeSync();
  });
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const slowConnect = async (): Promise<DuckDBConnection> => {
    await released;
    return instance.connect();
  };
  return { duckJoin, slowConnect, release };
}

async function makeFinal(duckJoin: DuckDbJoin, id: string): Promise<void> {
  await (await duckJoin.upsert([incoming(id, 'client', {}, null)])).durable;
  const written = await duckJoin.finalize([{ id, outcome: outcome(), nowMs: T0 + 1 }]);
  await written.durable;
  assert.deepEqual(
    written.outputs.map((output) => output.becameFinal),
    [true],
  );
}

async function lateSideIsFinal(duckJoin: DuckDbJoin, id: string): Promise<boolean | undefined> {
  const { outputs } = await duckJoin.upsert([incoming(id, 'server')]);
  return outputs.find((record) => record.id === id)?.final;
}

for (const when of ['before the scan began', 'while the scan was connecting'] as const) {
  test(`a row made final ${when} and loaded after the scan's snapshot still takes its late side as final`, async (t) => {
    const { duckJoin, slowConnect, release } = await openJoin(t);
    if (when === 'before the scan began') await makeFinal(duckJoin, 'early');
    const scanned = duckJoin.scanFinalIds(slowConnect);
    if (when === 'while the scan was connecting') await makeFinal(duckJoin, 'early');
    release();
    await scanned; // its snapshot of `connections` did not hold the row: it was still waiting to load
    await duckJoin.flushFinals();
    assert.equal(await lateSideIsFinal(duckJoin, 'early'), true);
    assert.equal(duckJoin.countPending(), 0, 'no pending copy of a final row');
  });
}
