import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { connectPostgres, createTempDatabase, pgOrSkip, postgresUrlFor } from './postgres.js';

test('pgOrSkip gives a client on the test database, or skips when PostgreSQL is unreachable', async (t) => {
  const client = await pgOrSkip(t);
  if (!client) return;
  const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
  assert.equal(rows[0].db, 'test');
});

test('connectPostgres returns null for a database that does not exist', async () => {
  const client = await connectPostgres('closewatch_no_such_database');
  assert.equal(client, null);
});

test('createTempDatabase makes an isolated database and drop() removes it', async (t) => {
  if (!(await pgOrSkip(t))) return;
  const first = await createTempDatabase({ t });
  const second = await createTempDatabase({ t });
  assert.notEqual(first.name, second.name);
  assert.equal(first.url, postgresUrlFor(first.name));

  const client = new pg.Client({ connectionString: first.url });
  client.on('error', () => {});
  await client.connect();
  t.after(() => client.end().catch(() => {}));
  await client.query('CREATE TABLE closes (id int)');
  // An open connection must not keep drop() from succeeding.
  await first.drop();
  await first.drop();
  const admin = await connectPostgres();
  assert.ok(admin);
  t.after(() => admin.end());
  const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [first.name]);
  assert.equal(rows.length, 0);
});
