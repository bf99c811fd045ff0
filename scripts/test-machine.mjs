// Makes a fresh Debian machine able to run the tests: installs the system tools the harness drives
// (with apt, as root) and starts an installed PostgreSQL that is down. `npm test` runs it first.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What the tests run, where the harness looks for it (same overrides), and the Debian package that has it. */
const TOOLS = [
  { name: 'chromium', path: process.env.CLOSEWATCH_CHROMIUM ?? '/usr/bin/chromium', pkg: 'chromium' },
  { name: 'nginx', path: process.env.CLOSEWATCH_NGINX ?? '/usr/sbin/nginx', pkg: 'nginx', service: 'nginx' },
  { name: 'prometheus', path: process.env.CLOSEWATCH_PROMETHEUS ?? '/usr/bin/prometheus', pkg: 'prometheus', service: 'prometheus' },
  { name: 'promtool', path: process.env.CLOSEWATCH_PROMTOOL ?? '/usr/bin/promtool', pkg: 'prometheus' },
  {
    name: 'prometheus-alertmanager',
    path: process.env.CLOSEWATCH_ALERTMANAGER ?? '/usr/bin/prometheus-alertmanager',
    pkg: 'prometheus-alertmanager',
    service: 'prometheus-alertmanager',
  },
  { name: 'openssl', command: 'openssl', pkg: 'openssl' },
  { name: 'pg_isready', command: 'pg_isready', pkg: 'postgresql-client' },
  // Chromium renders screenshots with it; without any font it draws empty boxes.
  { name: 'Liberation fonts', dir: '/usr/share/fonts/truetype/liberation', pkg: 'fonts-liberation' },
];

const PG_WAIT_S = 30;

function log(line) {
  console.log(`test-machine: ${line}`);
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && isExecutable(join(dir, command)));
}

function isPresent(tool) {
  if (tool.path) return isExecutable(tool.path);
  if (tool.command) return onPath(tool.command);
  return existsSync(tool.dir);
}

function run(command, args, options = {}) {
  return spawnSync(command, args, { stdio: 'inherit', ...options });
}

/** `[]` as root, `['sudo', '-n']` when sudo works without a password, else null. */
function privilegePrefix() {
  if (process.getuid?.() === 0) return [];
  if (onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) return ['sudo', '-n'];
  return null;
}

function asRoot(prefix, command, args, options) {
  const [program, ...rest] = [...prefix, command, ...args];
  return run(program, rest, options);
}

function installPackages(packages) {
  if (!onPath('apt-get')) {
    log(
      `missing ${packages.join(' ')} and there is no apt-get here: install them yourself, or point CLOSEWATCH_CHROMIUM/NGINX/PROMETHEUS/PROMTOOL/ALERTMANAGER at them`,
    );
    return false;
  }
  const prefix = privilegePrefix();
  if (!prefix) {
    log(`missing ${packages.join(' ')}; not root and no password-less sudo, so not installing. Run as root:`);
    log(`  apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')}`);
    return false;
  }
  log(`installing with apt: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (asRoot(prefix, 'apt-get', ['update', '-qq'], { env }).status !== 0) {
    log('apt-get update failed (see above); the tests that need the missing tools will fail');
    return false;
  }
  const install = asRoot(prefix, 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
  if (install.status !== 0) {
    log('apt-get install failed (see above); the tests that need the missing tools will fail');
    return false;
  }
  // Debian starts these services on install; the tests start their own instances on free ports.
  for (const tool of TOOLS) {
    if (tool.service && packages.includes(tool.pkg)) asRoot(prefix, 'service', [tool.service, 'stop'], { stdio: 'ignore' });
  }
  return true;
}

/** Host and port of the PostgreSQL the tests use (CLOSEWATCH_TEST_PG_URL, as the harness reads it). */
function postgresTarget() {
  const url = new URL(process.env.CLOSEWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  return { host: url.hostname || '127.0.0.1', port: url.port || '5432' };
}

function postgresReady({ host, port }) {
  return spawnSync('pg_isready', ['-h', host, '-p', port, '-q'], { stdio: 'ignore' }).status === 0;
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Starts a local PostgreSQL cluster that is installed but down; says what to do when there is none. */
function ensurePostgres() {
  const target = postgresTarget();
  if (!onPath('pg_isready')) return;
  if (postgresReady(target)) return;
  const local = target.host === '127.0.0.1' || target.host === 'localhost';
  const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql').sort() : [];
  if (!local || !onPath('pg_ctlcluster') || versions.length === 0) {
    log(`PostgreSQL at ${target.host}:${target.port} is not reachable and no local cluster is installed: its tests skip (and fail under CI=true)`);
    return;
  }
  const prefix = privilegePrefix();
  if (!prefix) {
    log(`PostgreSQL ${versions[0]} is installed but down; not root, so not starting it. Run: pg_ctlcluster ${versions[0]} main start`);
    return;
  }
  log(`starting PostgreSQL ${versions[0]}`);
  asRoot(prefix, 'pg_ctlcluster', ['--skip-systemctl-redirect', versions[0], 'main', 'start']);
  for (let waited = 0; waited < PG_WAIT_S && !postgresReady(target); waited++) sleep(1000);
  if (!postgresReady(target)) log(`PostgreSQL did not become ready within ${PG_WAIT_S} s; its tests skip (and fail under CI=true)`);
}

/** Installs what is missing and starts PostgreSQL; prints one line per action, nothing when all is there. */
export function prepareTestMachine() {
  const missing = TOOLS.filter((tool) => !isPresent(tool));
  if (missing.length > 0) {
    log(`missing: ${missing.map((tool) => tool.name).join(', ')}`);
    if (installPackages([...new Set(missing.map((tool) => tool.pkg))])) {
      const still = missing.filter((tool) => !isPresent(tool));
      if (still.length > 0) log(`still missing after apt: ${still.map((tool) => `${tool.name} (${tool.path ?? tool.command ?? tool.dir})`).join(', ')}`);
    }
  }
  ensurePostgres();
}
