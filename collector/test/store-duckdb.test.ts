import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { makeTempDir, spawnNode } from '@closewatch/test/harness';
import { CollectorError } from '../src/errors.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { DUCKDB_MIGRATIONS } from '../src/store/duckdb/migrations.js';
import { openStore } from '../src/store/open-store.js';
import { MAX_JOIN_WINDOW_MS } from '../src/store/store-limits.js';
import { storeContract } from './store-contract.js';
import { HOUR, T0, ids, incoming, outcome, storedSide } from './store-fixtures.js';

function tempDir(t: TestContext): string {
  const dir = makeTempDir('store-duckdb');
  t.after(() => dir.remove());
  return dir.path;
}

async function openDuckDb(t: TestContext, dataDir?: string): Promise<DuckDbStore> {
  const store = await DuckDbStore.open(dataDir ?? tempDir(t));
  t.after(() => store.close());
  await store.migrate();
  return store;
}

/** Runs store-child.ts in `mode` on `dir` and SIGKILLs it as soon as it reports its writes acknowledged. */
async function killAfterAck(t: TestContext, mode: 'upsert' | 'finalize', dir: string): Promise<void> {
  const child = spawnNode(['--import', 'tsx', new URL('./store-child.ts', import.meta.url).pathname, mode, 'duckdb', dir], { t });
  await child.waitForOutput('acked', 60_000);
  child.kill('SIGKILL');
  assert.equal((await child.exited).signal, 'SIGKILL');
}

storeContract('DuckDB', { open: (t) => openDuckDb(t) });

test('openStore without a database URL opens <dataDir>/closewatch.duckdb, creating the directory, migrated', async (t) => {
  const dataDir = join(tempDir(t), 'nested', 'data');
  const store = await openStore({ dataDir, databaseUrl: null });
  t.after(() => store.close());
  assert.equal(store.kind, 'duckdb');
  assert.equal((store as DuckDbStore).path, join(dataDir, 'closewatch.duckdb'));
  assert.equal(await store.countPending(), 0);
});

test('migrations are recorded once per version, and reopening the file keeps data', async (t) => {
  const dir = tempDir(t);
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
  assert.deepEqual(
    rows.map((r) => Number(r.version)),
    DUCKDB_MIGRATIONS.map((m) => m.version),
  );
});

test('a data directory that cannot be used fails with an error naming the database path', async (t) => {
  const dir = tempDir(t);
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
  const dir = tempDir(t);
  await killAfterAck(t, 'upsert', dir);

  const store = await openDuckDb(t, dir);
  assert.equal(await store.countPending(), 100);
  const record = await store.getConnection(ids('durable', 100)[99]);
  assert.ok(record?.client && record.server);
  assert.deepEqual(await store.finalize([], 0), []);
});

test('final rows acknowledged before SIGKILL, maybe not yet loaded from the journal, are in the database after reopening, once', async (t) => {
  const dir = tempDir(t);
  await killAfterAck(t, 'finalize', dir);

  const store = await openDuckDb(t, dir);
  assert.equal(await store.countPending(), 0, 'final connections are not rebuilt as pending');
  assert.equal((await store.summary({ fromMs: T0, toMs: T0 + HOUR })).total, 100);
  const record = await store.getConnection(ids('durable', 100)[42]);
  assert.equal(record?.final, true);
  assert.ok(record?.client && record.server, 'the final row points at its sides in the journal');
  await store.close();
  const again = await openDuckDb(t, dir);
  assert.equal((await again.summary({ fromMs: T0, toMs: T0 + HOUR })).total, 100, 'a second start loads nothing twice');
});

test('a side acknowledged before SIGKILL is claimable by the sweeper after reopening, and finalises once', async (t) => {
  const dir = tempDir(t);
  await killAfterAck(t, 'upsert', dir);

  const store = await openDuckDb(t, dir);
  const claimed = await store.claimExpired(T0 + 35_001, 1000);
  assert.equal(claimed.length, 100);
  assert.ok(claimed.every((record) => record.client && record.server && !record.final));
  const became = await store.finalize(
    claimed.map((record) => ({ id: record.id, outcome: outcome() })),
    T0 + 40_000,
  );
  assert.equal(became.length, 100);
  await store.close();

  const reopened = await openDuckDb(t, dir);
  assert.equal(await reopened.countPending(), 0, 'final rows are not rebuilt as pending');
  assert.equal((await reopened.summary({ fromMs: T0, toMs: T0 + HOUR })).total, 100);
});

test('reopening keeps pending rows, and a late side of a row finalised before the restart comes back final with its counted outcome', async (t) => {
  const dir = tempDir(t);
  const first = await openDuckDb(t, dir);
  await first.upsertSides([incoming('done', 'client'), incoming('waiting', 'client'), incoming('old', 'client', { endTimeMs: T0 - 20 * 24 * HOUR })]);
  await first.upsertSides([incoming('waiting', 'client', { attributes: { 'websocket.close.code': 1001 } })]);
  assert.deepEqual(await first.finalize([{ id: 'done', outcome: outcome({ cause: 'unknown' }) }], T0 + 1), ['done']);
  assert.equal(await first.deleteOlderThan(T0 - 14 * 24 * HOUR), 1);
  await first.close();

  const second = await openDuckDb(t, dir);
  await second.finalIdsScanned();
  assert.equal(await second.countPending(), 1);
  assert.deepEqual((await second.getConnection('waiting'))?.client?.attributes, { 'websocket.close.code': 1001 }, 'the newer side wins');
  assert.equal(await second.getConnection('old'), null, 'retention is not undone by a restart');
  const rows = await second.upsertSides([incoming('done', 'server'), incoming('waiting', 'server')]);
  const done = rows.find((r) => r.id === 'done');
  assert.equal(done?.final, true);
  assert.equal(done?.outcome?.cause, 'unknown');
  assert.ok(done?.client && done.server);
  assert.deepEqual(
    await second.finalize(
      [
        { id: 'done', outcome: outcome() },
        { id: 'waiting', outcome: outcome() },
      ],
      T0 + 2,
    ),
    ['waiting'],
  );
  assert.equal((await second.getConnection('done'))?.outcome?.cause, 'unknown', 'a final row keeps the outcome it was counted with');
  await second.updateEvidence([{ id: 'done', evidence: ['late server side'] }]);
  assert.deepEqual((await second.getConnection('done'))?.outcome?.evidence, ['late server side']);
  assert.equal(await second.countPending(), 0);
  assert.equal((await second.summary({ fromMs: T0, toMs: T0 + HOUR })).total, 2);
});

test("a pending side journaled with a deadline on its sender's clock (dated 2100) waits at most the longest join window after a restart", async (t) => {
  const dir = tempDir(t);
  const first = await openDuckDb(t, dir);
  const arrivedMs = T0 + 6_000;
  // what a version whose window ran from the span's end wrote for a span dated 2100
  await first.upsertSides([incoming('future', 'client', { receivedAtMs: arrivedMs }, Date.UTC(2100, 0, 1))]);
  await first.close();
  const second = await openDuckDb(t, dir);
  assert.deepEqual(await second.claimExpired(arrivedMs + MAX_JOIN_WINDOW_MS - 1, 10), []);
  assert.deepEqual(
    (await second.claimExpired(arrivedMs + MAX_JOIN_WINDOW_MS, 10)).map((r) => r.id),
    ['future'],
  );
});

test('a file of schema version 2 moves its pending rows to the side log and keeps its final rows', async (t) => {
  const dir = tempDir(t);
  const instance = await DuckDBInstance.create(join(dir, 'closewatch.duckdb'));
  const connection = await instance.connect();
  await connection.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at_ms BIGINT NOT NULL)');
  for (const migration of DUCKDB_MIGRATIONS.slice(0, 2)) {
    for (const statement of migration.statements) await connection.run(statement);
    await connection.run(`INSERT INTO schema_migrations VALUES (${migration.version}, '${migration.name}', 0)`);
  }
  const client = JSON.stringify(storedSide('client', { traceId: 'trace-v2' }));
  const server = JSON.stringify(storedSide('server', { traceId: 'trace-v2' }));
  await connection.run(
    `INSERT INTO connections (id, trace_id, client, server, join_deadline_ms, claimed_until_ms, updated_at_ms, start_time_ms, end_time_ms)
     VALUES ('v2-pending', 'trace-v2', '${client}', '${server}', ${T0 + 35_000}, ${T0 + 99_000}, ${T0}, ${T0}, ${T0 + 5_000}),
            ('v2-half', 'trace-v2', NULL, '${server}', ${T0 + 36_000}, NULL, ${T0}, ${T0}, ${T0 + 5_000})`,
  );
  await connection.run(
    `INSERT INTO connections (id, trace_id, client, is_final, finalized_at_ms, updated_at_ms, cause, evidence, service, route, code, reason, phase, observed_by, start_time_ms, end_time_ms)
     VALUES ('v2-final', 'trace-v2', '${client}', true, ${T0}, ${T0}, 'client_offline', '[]', 'chat', '/rooms/:id', 1006, '', 'open', 'client', ${T0}, ${T0 + 5_000})`,
  );
  connection.closeSync();
  instance.closeSync();

  const store = await openDuckDb(t, dir);
  assert.equal(await store.countPending(), 2);
  const claimed = await store.claimExpired(T0 + 40_000, 10);
  assert.deepEqual(
    claimed.map((r) => r.id),
    ['v2-pending', 'v2-half'],
    'claims are not carried over',
  );
  assert.deepEqual(claimed[0].client, storedSide('client', { traceId: 'trace-v2' }));
  assert.deepEqual(claimed[1].server, storedSide('server', { traceId: 'trace-v2' }));
  assert.equal(claimed[1].client, null);
  assert.equal((await store.getConnection('v2-final'))?.final, true);
  assert.deepEqual(
    await store.finalize(
      [
        { id: 'v2-pending', outcome: outcome() },
        { id: 'v2-final', outcome: outcome() },
      ],
      T0 + 41_000,
    ),
    ['v2-pending'],
  );
  assert.equal((await store.summary({ fromMs: T0, toMs: T0 + HOUR })).total, 2);
});

test('a file of schema version 4 keeps reading final rows from its side-log table and moves its pending sides to the journal', async (t) => {
  const dir = tempDir(t);
  const instance = await DuckDBInstance.create(join(dir, 'closewatch.duckdb'));
  const connection = await instance.connect();
  await connection.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at_ms BIGINT NOT NULL)');
  for (const migration of DUCKDB_MIGRATIONS.slice(0, 4)) {
    for (const statement of migration.statements) await connection.run(statement);
    await connection.run(`INSERT INTO schema_migrations VALUES (${migration.version}, '${migration.name}', 0)`);
  }
  const finalClient = JSON.stringify(storedSide('client', { traceId: 'trace-v4', attributes: { marker: 'v4-final' } }));
  const pendingServer = JSON.stringify(storedSide('server', { traceId: 'trace-v4', attributes: { marker: 'v4-pending' } }));
  await connection.run(
    `INSERT INTO sides VALUES
       (1, 'v4-final', 'trace-v4', 'client', '${finalClient}', ${T0 + 35_000}, ${T0}, ${T0 + 5_000}, ${T0}, 1),
       (2, 'v4-pending', 'trace-v4', 'server', '${pendingServer}', ${T0 + 36_000}, ${T0}, ${T0 + 6_000}, ${T0}, 2)`,
  );
  await connection.run(
    `INSERT INTO connections (id, trace_id, is_final, finalized_at_ms, updated_at_ms, cause, evidence, service, route, code, reason, phase, observed_by, start_time_ms, end_time_ms, client_seq)
     VALUES ('v4-final', 'trace-v4', true, ${T0}, ${T0}, 'client_offline', '[]', 'chat', '/rooms/:id', 1006, '', 'open', 'client', ${T0}, ${T0 + 5_000}, 1)`,
  );
  connection.closeSync();
  instance.closeSync();

  const store = await openDuckDb(t, dir);
  assert.deepEqual((await store.getConnection('v4-final'))?.client?.attributes, { marker: 'v4-final' });
  assert.equal(await store.countPending(), 1);
  assert.deepEqual((await store.getConnection('v4-pending'))?.server?.attributes, { marker: 'v4-pending' });
  await store.close();

  // the move happens once: a second start finds the pending side in the journal only
  const reopened = await openDuckDb(t, dir);
  const claimed = await reopened.claimExpired(T0 + 40_000, 10);
  assert.deepEqual(
    claimed.map((r) => r.id),
    ['v4-pending'],
  );
  assert.deepEqual(await reopened.finalize([{ id: 'v4-pending', outcome: outcome() }], T0 + 41_000), ['v4-pending']);
  assert.deepEqual((await reopened.getConnection('v4-pending'))?.server?.attributes, { marker: 'v4-pending' });
  assert.equal((await reopened.summary({ fromMs: T0, toMs: T0 + HOUR })).total, 2);
});

test('a side written to be finalised at once (no deadline) whose finalize never came is due for the sweeper after a restart', async (t) => {
  const dir = tempDir(t);
  const first = await openDuckDb(t, dir);
  await first.upsertSides([incoming('orphan', 'server', {}, null)]);
  assert.deepEqual(await first.claimExpired(T0 + 10 * HOUR, 10), [], 'no deadline: never swept while its writer lives');
  await first.close();

  const second = await openDuckDb(t, dir);
  assert.deepEqual(
    (await second.claimExpired(T0 + 10 * HOUR, 10)).map((r) => r.id),
    ['orphan'],
  );
});

test('retention deletes journal segments last written a day before the cutoff that startup no longer reads; their final rows stay, without sides', async (t) => {
  const dir = tempDir(t);
  const store = await DuckDbStore.open(dir, { journalSegmentBytes: 1 });
  t.after(() => store.close());
  await store.migrate();
  const all = ids('ret', 5);
  for (const id of all) await store.upsertSides([incoming(id, 'client'), incoming(id, 'server')]);
  await store.finalize(
    all.map((id) => ({ id, outcome: outcome() })),
    T0 + 1,
  );
  await store.upsertSides([incoming('still-pending', 'client')]);
  const journalDir = join(dir, 'journal');
  const before = readdirSync(journalDir).length;
  assert.ok(before >= 7, `one segment per append (${before})`);
  for (const name of readdirSync(journalDir)) utimesSync(join(journalDir, name), new Date(0), new Date(0));

  assert.equal(await store.deleteOlderThan(T0 - 14 * 24 * HOUR), 0, 'no connection is that old');
  const after = readdirSync(journalDir).length;
  assert.ok(after < before, 'old segments before every pending side and unloaded final line are gone');
  assert.equal((await store.summary({ fromMs: T0, toMs: T0 + HOUR })).total, 5);
  const final = await store.getConnection('ret-000');
  assert.equal(final?.final, true);
  assert.equal(final?.client, null, 'a side whose segment retention removed reads as absent');
  assert.ok((await store.getConnection('still-pending'))?.client, 'the segment a pending connection needs stays');
  await store.close();

  const reopened = await openDuckDb(t, dir);
  assert.equal(await reopened.countPending(), 1);
  assert.equal((await reopened.summary({ fromMs: T0, toMs: T0 + HOUR })).total, 5);
});

test('concurrent finalize calls share one commit and each id that became final is returned to one call only', async (t) => {
  const store = await openDuckDb(t);
  const all = ids('gf', 20);
  await store.upsertSides(all.map((id) => incoming(id, 'client')));
  const forward = all.map((id) => ({ id, outcome: outcome() }));
  const results = await Promise.all([
    store.finalize(forward.slice(0, 12), T0),
    store.finalize([...forward].reverse(), T0),
    store.finalize([{ id: 'gf-000', outcome: outcome({ cause: 'unknown' }) }], T0),
  ]);
  assert.deepEqual(results[0], all.slice(0, 12));
  assert.deepEqual(results[1], all.slice(12));
  assert.deepEqual(results[2], []);
  assert.equal((await store.getConnection('gf-000'))?.outcome?.cause, 'unknown', 'the last outcome given wins');
  assert.equal(await store.countPending(), 0);
});

test('journal positions are never reused after retention and a restart: a final row never reads a later side', async (t) => {
  const dir = tempDir(t);
  const first = await openDuckDb(t, dir);
  // a side that ended long before its connection: the final row stays through retention
  await first.upsertSides([incoming('kept', 'client', { endTimeMs: T0 - 20 * 24 * HOUR })]);
  await first.finalize([{ id: 'kept', outcome: outcome({ endTimeMs: T0 }) }], T0);
  assert.equal(await first.deleteOlderThan(T0 - 14 * 24 * HOUR), 0);
  await first.close();

  const second = await openDuckDb(t, dir);
  await second.upsertSides([incoming('next', 'server', { attributes: { marker: 'next' } })]);
  const kept = await second.getConnection('kept');
  assert.equal(kept?.final, true);
  assert.notDeepEqual(kept?.client?.attributes, { marker: 'next' });
  assert.equal(kept?.server, null);
});

test('a store opened without migrate() reads the journal before its first write, so positions and pending rows carry on', async (t) => {
  const dir = tempDir(t);
  const first = await openDuckDb(t, dir);
  await first.upsertSides([incoming('before', 'client')]);
  await first.close();

  const unmigrated = await DuckDbStore.open(dir);
  assert.equal(await unmigrated.countPending(), 1);
  await unmigrated.upsertSides([incoming('after', 'client')]);
  assert.ok((await unmigrated.getConnection('before'))?.client);
  await unmigrated.close();

  const reopened = await openDuckDb(t, dir);
  assert.deepEqual(
    (await reopened.claimExpired(T0 + 35_000, 10)).map((r) => r.id),
    ['after', 'before'],
  );
});
