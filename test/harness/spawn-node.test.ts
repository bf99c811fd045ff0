import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnNode } from './spawn-node.js';
import { StopWaiting, waitFor } from './wait-for.js';

test('spawnNode collects output and reports the exit code', async (t) => {
  const child = spawnNode(['-e', 'console.log(process.env.CLOSEWATCH_GREETING); console.error("to stderr"); process.exit(3)'], {
    t,
    env: { CLOSEWATCH_GREETING: 'hello' },
  });
  const exit = await child.exited;
  assert.equal(exit.code, 3);
  assert.equal(child.stdout(), 'hello\n');
  assert.equal(child.stderr(), 'to stderr\n');
});

test('spawnNode kill() stops a long-running child', async (t) => {
  const child = spawnNode(['-e', 'console.log("ready"); setInterval(() => {}, 1000)'], { t });
  await child.waitForOutput('ready');
  child.kill('SIGTERM');
  const exit = await child.exited;
  assert.equal(exit.signal, 'SIGTERM');
  assert.equal(child.isRunning(), false);
});

test('waitForOutput fails at once when the child exits without printing it', async (t) => {
  const child = spawnNode(['-e', 'process.exit(0)'], { t });
  await assert.rejects(child.waitForOutput('never printed', 30_000), StopWaiting);
});

test('a child is killed when the test process dies without cleaning up', async (t) => {
  const parent = spawnNode(
    [
      '--import',
      'tsx',
      '-e',
      `import { spawnNode } from './harness/spawn-node.ts';
       const orphan = spawnNode(['-e', 'setInterval(() => {}, 1000)']);
       console.log('orphan ' + orphan.pid);
       setInterval(() => {}, 1000);`,
    ],
    { t, cwd: new URL('..', import.meta.url).pathname },
  );
  await parent.waitForOutput(/orphan \d+/);
  const orphanPid = Number(/orphan (\d+)/.exec(parent.stdout())?.[1]);
  parent.kill('SIGKILL');
  await parent.exited;
  const isGone = () => {
    try {
      process.kill(orphanPid, 0);
      return false;
    } catch {
      return true;
    }
  };
  await waitFor(isGone, { timeoutMs: 10_000, message: `orphan ${orphanPid} killed` });
});

test('waitFor returns the first truthy value and times out with the last error', async () => {
  let calls = 0;
  assert.equal(await waitFor(() => (++calls >= 3 ? 'done' : undefined), { intervalMs: 1 }), 'done');
  await assert.rejects(
    waitFor(
      () => {
        throw new Error('still down');
      },
      { timeoutMs: 20, intervalMs: 5, message: 'service up' },
    ),
    /service up not met within 20 ms: last error: still down/,
  );
});
