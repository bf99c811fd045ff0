import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { spawnNode, startWsServer } from '@closewatch/test/harness';
import type { ProbeReport } from '../src/report.js';

const BIN = fileURLToPath(new URL('../bin/closewatch-probe.js', import.meta.url));

test('`closewatch-probe` through the real bin: JSON on stdout and the verdict as the exit code', async (t) => {
  const ws = await startWsServer({ t, verifyClient: (_info, done) => done(false, 401, 'Unauthorized') });
  const child = spawnNode([BIN, `${ws.url}/socket`, '--json'], { t, env: { NO_COLOR: '1' } });
  const exit = await child.exited;
  assert.equal(exit.code, 1, child.stderr());
  const report = JSON.parse(child.stdout()) as ProbeReport;
  assert.equal(report.schema, 'closewatch.probe/v1');
  assert.equal(report.verdict.cause, 'handshake_auth_rejected');
  assert.equal(report.exitCode, 1);
});

test('`closewatch-probe` through the real bin: a bad flag exits 2 and names the flag on stderr', async (t) => {
  const child = spawnNode([BIN, 'ws://127.0.0.1:9/', '--hold', 'forever'], { t });
  const exit = await child.exited;
  assert.equal(exit.code, 2);
  assert.match(child.stderr(), /--hold must be a positive duration/);
  assert.equal(child.stdout(), '');
});

test('Ctrl-C during --hold ends the hold early and still prints the report, exit 0', async (t) => {
  let connected: () => void = () => {};
  const opened = new Promise<void>((resolve) => (connected = resolve));
  const ws = await startWsServer({ t, onConnection: () => connected() });
  const child = spawnNode([BIN, ws.url, '--hold', '20s', '--json'], { t });
  await Promise.race([opened, child.exited]);
  child.kill('SIGINT');
  const exit = await child.exited;
  assert.equal(exit.code, 0, child.stderr());
  const report = JSON.parse(child.stdout()) as ProbeReport;
  assert.equal(report.steps.hold.interrupted, true);
  assert.equal(report.steps.hold.endedBy, 'probe');
  assert.equal(report.steps.hold.closeHandshake, 'completed');
  assert.ok(
    report.notes.some((note) => note.includes('interrupted')),
    report.notes.join('\n'),
  );
});
