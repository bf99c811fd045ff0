import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePort, makeTempDir } from '@closewatch/test/harness';
import { DEFAULT_RULES } from '../src/alerts/default-rules.js';
import { runCloseWatch, startCollectorProcess } from './support/collector-process.js';

function tempDir(t: { after(fn: () => unknown): void }): string {
  const dir = makeTempDir('cli');
  t.after(() => dir.remove());
  return dir.path;
}

async function run(args: string[], t: { after(fn: () => unknown): void }, env: Record<string, string> = {}) {
  const child = runCloseWatch(args, t, env);
  const exit = await child.exited;
  return { code: exit.code, stdout: child.stdout(), stderr: child.stderr() };
}

describe('closewatch CLI', () => {
  it('prints help for the command and for start', async (t) => {
    const help = await run(['--help'], t);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: closewatch <command>/);
    assert.match(help.stdout, /probe <ws-url>/);
    const startHelp = await run(['start', '--help'], t);
    assert.equal(startHelp.code, 0);
    assert.match(startHelp.stdout, /--database-url <url>/);
  });

  it('refuses unknown commands, unknown flags and bad values with exit code 2 and a message', async (t) => {
    const unknownCommand = await run(['launch'], t);
    assert.equal(unknownCommand.code, 2);
    assert.match(unknownCommand.stderr, /unknown command "launch"/);
    const unknownFlag = await run(['start', '--prot', '80'], t);
    assert.equal(unknownFlag.code, 2);
    assert.match(unknownFlag.stderr, /Unknown option '--prot'/);
    const badPort = await run(['start', '--port', 'eighty'], t);
    assert.equal(badPort.code, 2);
    assert.match(badPort.stderr, /option --port: port must be an integer from 0 to 65535, got "eighty"/);
    const badEnv = await run(['start'], t, { CLOSEWATCH_JOIN_WINDOW_MS: '-5' });
    assert.equal(badEnv.code, 2);
    assert.match(badEnv.stderr, /CLOSEWATCH_JOIN_WINDOW_MS: joinWindowMs must be an integer/);
  });

  it('says which port is in use', async (t) => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const result = await run(['start', '--port', String(port), '--data-dir', join(tempDir(t), 'data')], t);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
  });

  it('says when the data directory cannot be written', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const result = await run(['start', '--port', String(await freePort()), '--data-dir', join(file, 'data')], t);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /the data directory .*a-file\/data is not writable \((ENOTDIR|EEXIST)\)/);
  });

  it('says when the database is unreachable, without printing its password', async (t) => {
    const port = await freePort();
    const result = await run(['start', '--port', String(await freePort()), '--database-url', `postgres://app:s3cret@127.0.0.1:${port}/closewatch`], t);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`cannot reach the PostgreSQL database at postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${port}/closewatch`));
    assert.doesNotMatch(result.stderr, /s3cret/);
  });

  it('starts, serves, and stops cleanly on SIGTERM', async (t) => {
    const port = await freePort();
    const child = await startCollectorProcess(['--port', String(port), '--data-dir', join(tempDir(t), 'data')], t);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    assert.deepEqual(await ready.json(), { status: 'ready', store: 'duckdb' });
    child.kill('SIGTERM');
    const exit = await child.exited;
    assert.equal(exit.code, 0);
  });

  it('loads an alerts file at start, and refuses an invalid one with the reason', async (t) => {
    const dir = tempDir(t);
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, 'rules: 5\n');
    const refused = await run(['start', '--port', String(await freePort()), '--data-dir', join(dir, 'data'), '--alerts-file', bad], t);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /cannot load the alerts file: .*bad\.yml: expected a top-level "rules:" list/);
    const good = join(dir, 'rules.json');
    writeFileSync(good, JSON.stringify({ rules: DEFAULT_RULES }));
    const child = await startCollectorProcess(['--port', String(await freePort()), '--data-dir', join(dir, 'data'), '--alerts-file', good], t);
    assert.match(child.stderr(), new RegExp(`loaded ${DEFAULT_RULES.length} alert rule\\(s\\)`));
  });

  it('dispatches probe and alerts export to their commands', async (t) => {
    const rules = await run(['alerts', 'export', '--defaults'], t);
    assert.equal(rules.code, 0, rules.stderr);
    assert.match(rules.stdout, /groups:/);
    const badAlerts = await run(['alerts', 'import'], t);
    assert.equal(badAlerts.code, 2);
    const probe = await run(['probe', '--help'], t);
    assert.doesNotMatch(probe.stderr, /unknown command/);
    assert.match(probe.stdout + probe.stderr, /probe/);
  });
});
