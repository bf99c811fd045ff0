import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { DuckDBConnection } from '@duckdb/node-api';
import { makeTempDir } from '@closewatch/test/harness';
import { DuckDbJoin } from '../src/store/duckdb/duckdb-join.js';
import { DuckDbSession } from '../src/store/duckdb/duckdb-session.js';
import { Journal } from '../src/store/duckdb/journal.js';
import { QUARANTINE_FILE, QuarantineFile } from '../src/store/duckdb/quarantine-file.js';
import { Quarantine } from '../src/store/quarantine.js';
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
  const duckJoin = new DuckDbJoin(session, journal, new QuarantineFile(join(dir.path, QUARANTINE_FILE), new Quarantine(QUARANTINE_FILE)));
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
  return { duckJoin, slowConnect, release, instance };
}

async function makeFinal(duckJoin: DuckDbJoin, id: string): Promise<void> {
  await (
    await duckJoin.upsert([incoming(id, 'client', {}, null)])
  ).durable;
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

test('final rows whose load into DuckDB failed wait again and load with the next attempt, with rows made final since', async (t) => {
  const { duckJoin, instance } = await openJoin(t);
  const other = await instance.connect();
  t.after(() => other.closeSync());
  await makeFinal(duckJoin, 'first');
  // the load inserts its rows, then fails to record how far it got: its transaction rolls back
  await other.run('ALTER TABLE journal_state RENAME TO journal_state_away');
  await assert.rejects(duckJoin.flushFinals(), /journal_state/);
  await makeFinal(duckJoin, 'second');
  await assert.rejects(lateSideIsFinal(duckJoin, 'first'), /journal_state/, 'a late side of a row that cannot load is refused, not taken as new');
  assert.deepEqual((await other.runAndReadAll('SELECT count(*) AS n FROM connections')).getRowObjectsJS(), [{ n: 0n }]);
  await other.run('ALTER TABLE journal_state_away RENAME TO journal_state');
  await duckJoin.flushFinals();
  const rows = (await other.runAndReadAll('SELECT id FROM connections ORDER BY id')).getRowObjectsJS();
  assert.deepEqual(
    rows.map((row) => row.id),
    ['first', 'second'],
  );
  assert.equal(await lateSideIsFinal(duckJoin, 'second'), true);
});
