import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import { optionsWithScope, type CleanupScope, type ScopeOr } from './cleanup.js';

/** Base URL of the test cluster; the database name in it is replaced per call. */
export const postgresUrl = process.env.CLOSEWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Skippable scope: a node:test TestContext. */
export interface SkippableScope extends CleanupScope {
  skip(message?: string): void;
}

export function postgresUrlFor(database: string): string {
  const url = new URL(postgresUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A connected client, or null when PostgreSQL is unreachable. */
export async function connectPostgres(database = 'test'): Promise<pg.Client | null> {
  const client = new pg.Client({ connectionString: postgresUrlFor(database), connectionTimeoutMillis: 3000 });
  client.on('error', function idleClientOnError() {});
  try {
    await client.connect();
    return client;
  } catch {
    await client.end().catch(() => {});
    return null;
  }
}

function unreachable(t: SkippableScope): null {
  const notice = `PostgreSQL unreachable at ${postgresUrl}`;
  if (process.env.CI) throw new Error(`${notice} (CI is set, so tests that need it fail instead of skipping)`);
  console.log(`# skipped: ${notice}`);
  t.skip(notice);
  return null;
}

/**
 * A client on the `test` database, ended after the test; when PostgreSQL is unreachable it skips the
 * test and returns null (callers `return` on null), or throws under CI=true so CI never skips silently.
 */
export async function pgOrSkip(t: SkippableScope, database = 'test'): Promise<pg.Client | null> {
  const client = await connectPostgres(database);
  if (!client) return unreachable(t);
  t.after(function endPostgresClient() {
    return client.end();
  });
  return client;
}

export interface TempDatabase {
  /** postgres://… URL of the new database. */
  url: string;
  name: string;
  /** Drops the database, terminating any connection still using it. */
  drop(): Promise<void>;
}

/** Names carry this host's hash and the creating pid, so only this host's dead processes' leftovers are dropped. */
const tempPrefix = `closewatch_t_${createHash('sha256').update(hostname()).digest('hex').slice(0, 6)}_`;

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Drops temp databases left behind by test processes that died before their cleanup ran. */
async function dropOrphanedDatabases(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [tempPrefix]);
  for (const { datname } of rows) {
    const pid = Number(datname.slice(tempPrefix.length).split('_')[0]);
    if (Number.isInteger(pid) && pid > 0 && !processIsAlive(pid)) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
    }
  }
}

/**
 * A fresh, empty database for one test file, so concurrent files never share tables.
 * Throws when PostgreSQL is unreachable; use `tempDatabaseOrSkip` to skip instead.
 */
export async function createTempDatabase(options?: ScopeOr<object>): Promise<TempDatabase> {
  const { t } = optionsWithScope(options);
  const admin = await connectPostgres('test');
  if (!admin) throw new Error(`createTempDatabase: PostgreSQL unreachable at ${postgresUrl}`);
  const name = `${tempPrefix}${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await dropOrphanedDatabases(admin);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  let dropping: Promise<void> | undefined;
  async function dropDatabase(): Promise<void> {
    const client = await connectPostgres('test');
    if (!client) return;
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
  const drop = () => (dropping ??= dropDatabase());
  t?.after(drop);
  return { url: postgresUrlFor(name), name, drop };
}

/** `createTempDatabase` that skips the test (or fails under CI=true) when PostgreSQL is unreachable. */
export async function tempDatabaseOrSkip(t: SkippableScope): Promise<TempDatabase | null> {
  const probe = await connectPostgres('test');
  if (!probe) return unreachable(t);
  await probe.end();
  return createTempDatabase({ t });
}

/** A temp database with a client on it, shared by every test of one file. */
export interface FileDatabase {
  database: TempDatabase;
  admin: pg.Client;
}

/**
 * A temp database and a client on it for a whole test file, both ended by `after` (node:test's). When
 * PostgreSQL is unreachable it prints a notice naming `what` did not run and returns null, or throws
 * under CI=true so CI never skips silently.
 */
export async function fileDatabaseOrNotice(what: string, after: (fn: () => Promise<void>) => void): Promise<FileDatabase | null> {
  const probe = await connectPostgres();
  if (!probe) {
    const notice = `PostgreSQL unreachable at ${postgresUrl}`;
    if (process.env.CI) throw new Error(`${notice} (CI is set: ${what} must run)`);
    console.log(`# skipped: ${notice}; ${what} did not run`);
    return null;
  }
  await probe.end();
  const database = await createTempDatabase();
  const admin = await connectPostgres(database.name);
  after(async function dropFileDatabase() {
    await admin?.end();
    await database.drop();
  });
  if (!admin) throw new Error(`fileDatabaseOrNotice: could not connect to the new database ${database.name}`);
  return { database, admin };
}
