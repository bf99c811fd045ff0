import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { spawnNode } from '@closewatch/test/harness';

// docs/design.md, "Coexisting with OpenTelemetry's instrumentations": the agent beside
// @opentelemetry/instrumentation-http and instrumentation-net, created before and after it, enabled
// and disabled in any order. Each scenario runs in a process of its own (require hooks patch a core
// module once per process, on its first require after the instrumentations exist).

const agentDir = fileURLToPath(new URL('../', import.meta.url));
const scenario = fileURLToPath(new URL('./fixtures/coexistence-scenario.ts', import.meta.url));

async function run(order: string, steps: string): Promise<void> {
  const child = spawnNode(['--import', 'tsx', scenario, order, steps], { cwd: agentDir });
  const exit = await child.exited;
  assert.equal(exit.code, 0, `scenario ${order} ${steps} failed:\n${child.stderr()}${child.stdout()}`);
  assert.match(child.stdout(), new RegExp(`scenario ${order} ${steps} passed`));
}

test('instrumentation-http and -net created before the agent: both sets of spans are right, the upgrade keeps its websocket.connection spans', async () => {
  await run('otel-first', 'spans');
});

test('instrumentation-http and -net created after the agent: both sets of spans are right', async () => {
  await run('agent-first', 'spans');
});

test('created otel first: disabling and enabling either, in any order, leaves the other working', async () => {
  await run('otel-first', 'toggles');
});

test('created agent first: disabling and enabling either, in any order, leaves the other working', async () => {
  await run('agent-first', 'toggles');
});
