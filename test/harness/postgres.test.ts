import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import pg from 'pg';
import { freePort } from './free-port.js';
import { connectPostgres, createTempDatabase, pgOrSkip, postgresUrlFor } from './postgres.js';
import { spawnNode } from './spawn-node.js';

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

/** Runs one node:test test that calls pgOrSkip against a port nothing listens on, in a child process. */
async function runPgOrSkipUnreachable(t: TestContext, ci: string | undefined) {
  const deadUrl = `postgres://postgres@127.0.0.1:${await freePort()}/test`;
  const child = spawnNode(
    [
      '--import',
      'tsx',
      '--test-reporter=tap',
      '--input-type=module',
      '-e',
      `import { test } from 'node:test';
       import { pgOrSkip } from './harness/postgres.ts';
       test('needs postgres', async (t) => { if (!(await pgOrSkip(t))) return; });`,
    ],
    { t, cwd: new URL('..', import.meta.url).pathname, env: { CI: ci, CLOSEWATCH_TEST_PG_URL: deadUrl, NODE_TEST_CONTEXT: undefined } },
  );
  const exit = await child.exited;
  return { code: exit.code, output: child.stdout() + child.stderr() };
}

test('pgOrSkip skips with a notice when PostgreSQL is unreachable outside CI', async (t) => {
  const run = await runPgOrSkipUnreachable(t, undefined);
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /# skipped: PostgreSQL unreachable/);
  assert.match(run.output, /# SKIP PostgreSQL unreachable/);
});

test('pgOrSkip fails the test when PostgreSQL is unreachable under CI=true', async (t) => {
  const run = await runPgOrSkipUnreachable(t, 'true');
  assert.notEqual(run.code, 0, run.output);
  assert.match(run.output, /not ok 1 - needs postgres/);
  assert.match(run.output, /CI is set/);
});

test('createTempDatabase drops databases left behind by a test process that was killed', async (t) => {
  const admin = await pgOrSkip(t);
  if (!admin) return;
  const doomed = spawnNode(
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { createTempDatabase } from './harness/postgres.ts';
       const database = await createTempDatabase();
       console.log('created ' + database.name);
       setInterval(() => {}, 1000);`,
    ],
    { t, cwd: new URL('..', import.meta.url).pathname },
  );
  await doomed.waitForOutput(/created \w+/);
  const leftover = /created (\w+)/.exec(doomed.stdout())?.[1] ?? '';
  doomed.kill('SIGKILL');
  await doomed.exited;
  const exists = async () => (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [leftover])).rows.length === 1;
  assert.equal(await exists(), true);

  await createTempDatabase({ t });
  assert.equal(await exists(), false);
});
