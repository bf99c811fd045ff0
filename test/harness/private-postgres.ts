import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { optionsWithScope, runOnce, type ScopeOr } from './cleanup.js';
import { freePort } from './free-port.js';
import { spawnManaged, type ManagedProcess } from './managed-process.js';
import { makeTempDir } from './temp-dir.js';
import { StopWaiting, waitFor } from './wait-for.js';

/**
 * A PostgreSQL server of its own in a temp dir (initdb + postgres in the foreground), for tests that
 * stop and restart the database: the shared server at 127.0.0.1:5432 serves other tests at the same time.
 */
export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** Fast shutdown (SIGINT: sessions are cut, committed data kept); resolves once the server has exited. */
  stop(): Promise<void>;
  /** Starts the server again on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>;
  isRunning(): boolean;
  /** The postmaster's process id while it runs (its backends are its children). */
  pid(): number | null;
  close(): Promise<void>;
}

/** The newest installed server binaries (Debian's /usr/lib/postgresql/<version>/bin), or CLOSEWATCH_POSTGRES_BIN. */
export function postgresBinDir(): string | null {
  if (process.env.CLOSEWATCH_POSTGRES_BIN) return process.env.CLOSEWATCH_POSTGRES_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((version) => existsSync(join(root, version, 'bin', 'initdb')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : join(root, versions[0], 'bin');
}

/** initdb and postgres refuse to run as root: as root, run them as the `postgres` user. */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root, and there is no `postgres` user to run a private PostgreSQL server as');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export interface PrivatePostgresOptions {
  /** Flush commits to disk as a production server does (benchmarks); default off: a clean stop keeps every commit anyway. */
  fsync?: boolean;
}

/** Creates a cluster in a temp dir (trust auth) and starts it on a free loopback port; stopped and removed after the test. */
export async function startPrivatePostgres(options?: ScopeOr<PrivatePostgresOptions>): Promise<PrivatePostgres> {
  const { t, fsync = false } = optionsWithScope(options);
  const bin = postgresBinDir();
  if (bin === null) throw new Error('startPrivatePostgres: no PostgreSQL server binaries (initdb) under /usr/lib/postgresql; set CLOSEWATCH_POSTGRES_BIN');
  const user = serverUser();
  const dir = makeTempDir('postgres');
  if (user) chownSync(dir.path, user.uid, user.gid);
  const data = join(dir.path, 'data');
  const initdb = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    encoding: 'utf8',
    ...(user ?? {}),
  });
  if (initdb.status !== 0) {
    await dir.remove();
    throw new Error(`startPrivatePostgres: initdb failed: ${initdb.stderr}`);
  }
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let server: ManagedProcess | null = null;

  async function start(): Promise<void> {
    const child = spawnManaged(
      join(bin!, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        dir.path,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `fsync=${fsync ? 'on' : 'off'}`,
        '-c',
        'max_connections=60',
        '-c',
        'shared_buffers=32MB',
      ],
      user ?? {},
    );
    server = child;
    await waitFor(
      async () => {
        if (!child.isRunning()) throw new StopWaiting(`postgres exited: ${child.stderr().slice(-2000)}`);
        return accepts(url);
      },
      { timeoutMs: 30_000, intervalMs: 100, message: `private PostgreSQL on port ${port}` },
    );
  }

  async function stop(): Promise<void> {
    const running = server;
    server = null;
    await running?.stop('SIGINT', 15_000);
  }

  const close = runOnce(async function closePrivatePostgres() {
    await stop();
    await dir.remove();
  });
  t?.after(close);
  try {
    await start();
  } catch (error) {
    await close();
    throw error;
  }
  return { url, port, stop, start, isRunning: () => server?.isRunning() ?? false, pid: () => server?.pid ?? null, close };
}
