import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, test, type TestContext } from 'node:test';
import { connectPostgres, createTempDatabase, fileDatabaseOrNotice, freePort, postgresUrl, spawnNode, waitFor } from '@closewatch/test/harness';
import { CollectorError } from '../src/errors.js';
import { POSTGRES_MIGRATIONS } from '../src/store/postgres/migrations.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { openStore } from '../src/store/open-store.js';
import { storeContract } from './store-contract.js';
import { ids, incoming, outcome, T0 } from './store-fixtures.js';

const file = await fileDatabaseOrNotice('PostgreSQL store tests', after);
const database = file?.database ?? null;
const admin = file?.admin ?? null;

const childScript = new URL('./store-child.ts', import.meta.url).pathname;

function openOn(t: TestContext, connectionString: string, connectTimeoutMs?: number): PostgresStore {
  const store = new PostgresStore({ connectionString, connectTimeoutMs });
  t.after(() => store.close());
  return store;
}

async function isStoreUnavailable(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof CollectorError, `expected a CollectorError, got ${String(error)}`);
    assert.equal(error.code, 'store_unavailable');
    assert.equal(error.status, 503);
    return true;
  });
}

/**
 * A TCP relay to PostgreSQL that can be cut (closing every relayed socket), frozen (holding every
 * byte, like a hung server or a silent network) and restored on the same port.
 */
async function startRelay(t: TestContext): Promise<{ port: number; cut(): Promise<void>; freeze(): void; restore(): Promise<void> }> {
  const target = new URL(postgresUrl);
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer(function relayOnConnection(downstream) {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        for (const socket of [downstream, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => socket.destroy());
        }
        downstream.pipe(upstream).pipe(downstream);
        if (frozen) for (const socket of [downstream, upstream]) socket.pause();
        upstream.on('close', () => downstream.destroy());
        downstream.on('close', () => upstream.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
  let frozen = false;
  const freeze = () => {
    frozen = true;
    for (const socket of sockets) socket.pause();
  };
  const cut = async () => {
    const closing = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise((resolve) => closing.close(resolve));
  };
  await listen();
  t.after(cut);
  return { port, cut, freeze, restore: listen };
}

if (database && admin) {
  const url = database.url;
  storeContract('PostgreSQL', {
    async open(t) {
      const store = openOn(t, url);
      await store.migrate();
      await admin.query('TRUNCATE connections, alert_rules, alert_states, alert_history');
      return store;
    },
    async openPeer(t) {
      const store = openOn(t, url);
      await store.migrate();
      return store;
    },
  });

  test('openStore with a database URL opens the PostgreSQL store, migrated', async (t) => {
    const store = await openStore({ dataDir: '/nonexistent', databaseUrl: url });
    t.after(() => store.close());
    assert.equal(store.kind, 'postgres');
    await store.ping();
  });

  test('instances migrating a fresh database at the same time apply each migration once', async (t) => {
    const fresh = await createTempDatabase({ t });
    const stores = [1, 2, 3].map(() => openOn(t, fresh.url));
    await Promise.all(stores.map((s) => s.migrate()));
    const client = await connectPostgres(fresh.name);
    assert.ok(client);
    t.after(() => client.end());
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(
      rows.map((r) => r.version),
      POSTGRES_MIGRATIONS.map((m) => m.version),
    );
  });

  test('acknowledged upserts survive SIGKILL right after the ack', async (t) => {
    const fresh = await createTempDatabase({ t });
    const child = spawnNode(['--import', 'tsx', childScript, 'upsert', 'postgres', fresh.url], { t });
    await child.waitForOutput('acked', 60_000);
    child.kill('SIGKILL');
    assert.equal((await child.exited).signal, 'SIGKILL');
    const store = openOn(t, fresh.url);
    assert.equal(await store.countPending(), 100);
    const record = await store.getConnection(ids('durable', 100)[99]);
    assert.ok(record?.client && record.server);
  });

  test('leadership passes to another instance when the holding process is killed', async (t) => {
    const store = openOn(t, url);
    const child = spawnNode(['--import', 'tsx', childScript, 'lead', 'postgres', url, 'sweeper'], { t });
    await child.waitForOutput('leader', 60_000);
    assert.equal(await store.tryAcquireLeadership('sweeper'), false);
    child.kill('SIGKILL');
    await child.exited;
    assert.equal(await waitFor(() => store.tryAcquireLeadership('sweeper'), { timeoutMs: 20_000, message: 'leadership after the holder died' }), true);
  });

  test('a store pointed at a port with nothing listening rejects with store_unavailable, ping included', async (t) => {
    const port = await freePort();
    const target = new URL(url);
    target.port = String(port);
    const store = openOn(t, target.toString(), 2000);
    await isStoreUnavailable(store.ping());
    await isStoreUnavailable(store.migrate());
    await isStoreUnavailable(store.upsertSides([incoming('u1', 'client')]));
    await isStoreUnavailable(store.finalize([{ id: 'u1', outcome: outcome() }], T0));
    await isStoreUnavailable(store.summary({ fromMs: T0, toMs: T0 + 1 }));
    await isStoreUnavailable(store.tryAcquireLeadership('alerts'));
  });

  test('calls fail with store_unavailable while the database is cut off and work again by themselves once it is back', async (t) => {
    const relay = await startRelay(t);
    const target = new URL(url);
    target.host = `127.0.0.1:${relay.port}`;
    const store = openOn(t, target.toString(), 2000);
    await store.migrate();
    await store.upsertSides([incoming('relay-1', 'client')]);
    assert.equal(await store.tryAcquireLeadership('relay-test'), true);

    await relay.cut();
    await isStoreUnavailable(store.ping());
    await isStoreUnavailable(store.upsertSides([incoming('relay-2', 'client')]));
    await isStoreUnavailable(store.tryAcquireLeadership('relay-test'));

    await relay.restore();
    await waitFor(() => store.ping().then(() => true), { timeoutMs: 10_000, message: 'ping after the relay is back' });
    await store.upsertSides([incoming('relay-2', 'client')]);
    assert.ok(await store.getConnection('relay-1'));
    assert.equal(await store.tryAcquireLeadership('relay-test'), true, 'leadership is re-acquired on a new session');
  });

  test('a database that stops answering fails calls with store_unavailable after the query timeout', async (t) => {
    const relay = await startRelay(t);
    const target = new URL(url);
    target.host = `127.0.0.1:${relay.port}`;
    const store = new PostgresStore({ connectionString: target.toString(), connectTimeoutMs: 1000, queryTimeoutMs: 1000 });
    t.after(() => store.close());
    await store.ping();
    assert.equal(await store.tryAcquireLeadership('frozen-test'), true);
    relay.freeze();
    await isStoreUnavailable(store.ping());
    await isStoreUnavailable(store.upsertSides([incoming('frozen-1', 'client')]));
    await isStoreUnavailable(store.tryAcquireLeadership('frozen-test'));
  });

  test('terminated idle pool connections do not crash the process and later calls succeed', async (t) => {
    const target = new URL(url);
    target.searchParams.set('application_name', 'closewatch-idle-kill');
    const store = openOn(t, target.toString());
    await Promise.all([store.ping(), store.ping(), store.countPending()]);
    const { rowCount } = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'closewatch-idle-kill' AND datname = $1",
      [database.name],
    );
    assert.ok((rowCount ?? 0) > 0);
    await waitFor(() => store.ping().then(() => true), { timeoutMs: 10_000, message: 'ping after idle connections were terminated' });
    assert.equal(typeof (await store.countPending()), 'number');
  });

  test('NUL characters in sides and outcomes are stored instead of failing the batch', async (t) => {
    const store = openOn(t, url);
    await store.migrate();
    const [row] = await store.upsertSides([incoming('nul-1', 'client', { attributes: { 'websocket.close.reason': 'bad\u0000reason', literal: '\\u0000' } })]);
    assert.equal(row.client?.attributes['websocket.close.reason'], 'bad\uFFFDreason');
    assert.equal(row.client?.attributes.literal, '\\u0000', 'an escaped backslash followed by u0000 is left alone');
    assert.deepEqual(await store.finalize([{ id: 'nul-1', outcome: outcome({ reason: 'x\u0000y' }) }], T0), ['nul-1']);
    assert.equal((await store.getConnection('nul-1'))?.outcome?.reason, 'x\uFFFDy');
  });
}
