import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startWsServer } from '@closewatch/test/harness';
import { runProbeCommand } from '../src/cli.js';
import { probe, probeJson } from './probe-run.js';

const STEP_FIELDS = ['status', 'startMs', 'durationMs', 'error'];

test('--json prints exactly one object with the documented top-level fields and every step', async (t) => {
  const ws = await startWsServer({ t });
  const { stdout, report } = await probeJson([`${ws.url}/chat`, '--hold', '300ms', '--ping', '100ms']);
  assert.equal(stdout.trim().split('\n').at(-1), '}', 'nothing after the object');
  assert.deepEqual(Object.keys(report), ['schema', 'url', 'startedAt', 'durationMs', 'notes', 'steps', 'verdict', 'exitCode']);
  assert.deepEqual(Object.keys(report.steps), ['dns', 'tcp', 'tls', 'upgrade', 'hold']);
  for (const [name, step] of Object.entries(report.steps)) {
    for (const field of STEP_FIELDS) assert.ok(field in step, `${name}.${field}`);
  }
  assert.deepEqual(Object.keys(report.verdict), ['ok', 'cause', 'title', 'explanation', 'remediation', 'evidence']);
  assert.equal(report.steps.hold.pingIntervalMs, 100);
  assert.ok(report.steps.hold.pingsSent >= 1);
  assert.equal(report.steps.hold.pongsReceived, report.steps.hold.pingsSent);
});

test('human output: one line per step in order, then the verdict, explanation and fix; no colour when not a TTY', async (t) => {
  const ws = await startWsServer({ t });
  const { stdout } = await probe([ws.url]);
  const stepLines = stdout.split('\n').filter((line) => /^ {2}(dns|tcp|tls|upgrade|hold) /.test(line));
  assert.deepEqual(
    stepLines.map((line) => line.trim().split(/\s+/)[0]),
    ['dns', 'tcp', 'tls', 'upgrade', 'hold'],
  );
  assert.match(stdout, /^verdict\s+OK\s+The endpoint accepts WebSocket connections$/m);
  assert.match(stdout, /^ {2}why\s+/m);
  assert.match(stdout, /^ {2}fix\s+/m);
  assert.ok(!stdout.includes('\x1b['), 'no ANSI escapes');
});

test('colour only on a TTY without NO_COLOR', async (t) => {
  const ws = await startWsServer({ t });
  async function run(env: NodeJS.ProcessEnv): Promise<string> {
    let out = '';
    await runProbeCommand([ws.url], { stdout: (text) => void (out += text), stderr: () => {}, isTTY: true, env });
    return out;
  }
  assert.ok((await run({})).includes('\x1b['), 'coloured on a TTY');
  assert.ok(!(await run({ NO_COLOR: '1' })).includes('\x1b['), 'NO_COLOR turns colour off');
});
