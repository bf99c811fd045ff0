import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { spawnNode, startOtlpReceiver, waitFor, type OtlpReceiver } from '@closewatch/test/harness';
import WebSocket from 'ws';

/** A child under the agent can take tens of seconds to start on a saturated machine. */
const STARTUP_MS = 60_000;
const ARRIVAL = { timeoutMs: 30_000 };

// docs/design.md, "Spans at process exit": spans that ended before process.exit() or an uncaught
// exception reach the collector; connections still open end as process_exit.

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const app = fileURLToPath(new URL('./fixtures/exit-in-handler.mjs', import.meta.url));

interface JsonAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean };
}
interface JsonSpan {
  spanId: string;
  kind: number;
  attributes: JsonAttribute[];
}

function serverSpans(receiver: OtlpReceiver): JsonSpan[] {
  const spans: JsonSpan[] = [];
  for (const request of receiver.requests) {
    const body = JSON.parse(request.body.toString('utf8')) as { resourceSpans?: { scopeSpans?: { spans?: JsonSpan[] }[] }[] };
    for (const resourceSpans of body.resourceSpans ?? []) {
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) if (span.kind === 2) spans.push(span);
      }
    }
  }
  return spans;
}

function attribute(span: JsonSpan, key: string): unknown {
  const value = span.attributes.find((entry) => entry.key === key)?.value;
  return value?.stringValue ?? value?.boolValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
}

function open(t: TestContext, port: number): Promise<WebSocket> {
  const client = new WebSocket(`ws://127.0.0.1:${port}/chat`);
  t.after(() => client.terminate());
  client.on('error', () => undefined);
  return new Promise((resolve) => client.once('open', () => resolve(client)));
}

async function echoAndClose(client: WebSocket): Promise<void> {
  const echoed = new Promise((resolve) => client.once('message', resolve));
  client.send('hello');
  await echoed;
  const closed = new Promise((resolve) => client.once('close', resolve));
  client.close(1000, 'bye');
  await closed;
}

/**
 * Three connections echo and close, then a fourth asks the app to end itself. The batch delay is an
 * hour, so nothing is exported before the exit: whatever arrives was sent by the exit hook.
 */
async function endInHandler(t: TestContext, env: Record<string, string>) {
  const receiver = await startOtlpReceiver({ t });
  const child = spawnNode(['--import', '@closewatch/agent-node/register', app], {
    cwd: repoRoot,
    t,
    env: { CLOSEWATCH_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '3600000', ...env },
  });
  await child.waitForOutput(/listening \d+/, STARTUP_MS);
  const port = Number(/listening (\d+)/.exec(child.stdout())?.[1]);
  for (let i = 0; i < 3; i += 1) await echoAndClose(await open(t, port));
  await child.waitForOutput(/closed 3/, STARTUP_MS);
  const last = await open(t, port);
  last.send('exit now');
  const exit = await child.exited;
  const spans = await waitFor(() => serverSpans(receiver).length >= 4 && serverSpans(receiver), ARRIVAL);
  return { exit, spans, stderr: child.stderr() };
}

function assertSpansArrived(spans: JsonSpan[]): void {
  assert.equal(spans.length, 4, 'three closed connections and the one open at exit, each once');
  const closed = spans.filter((span) => attribute(span, 'websocket.close.code') === 1000);
  assert.equal(closed.length, 3, 'the spans that ended before the exit arrived');
  for (const span of closed) assert.equal(attribute(span, 'websocket.close.initiator'), 'client');
  const open = spans.find((span) => attribute(span, 'websocket.termination') === 'process_exit');
  assert.ok(open, 'the connection open at exit ends as process_exit');
  assert.equal(attribute(open, 'websocket.close.code'), 1006);
  assert.equal(attribute(open, 'websocket.messages.received'), 1);
}

test('process.exit() in a handler: the spans that ended before it, and the open one, reach the receiver', async (t) => {
  const { exit, spans } = await endInHandler(t, {});
  assert.equal(exit.code, 3, 'the app still exits with its own code');
  assertSpansArrived(spans);
});

test('an uncaught exception in a handler: the ended spans still arrive, and the app dies of the exception as without the agent', async (t) => {
  const { exit, spans, stderr } = await endInHandler(t, { EXIT_HOW: 'throw' });
  assert.equal(exit.code, 1);
  assert.match(stderr, /Error: handler failed/);
  assertSpansArrived(spans);
});

test('with the default batch delay, spans of closed connections are exported while the app keeps running', async (t) => {
  const receiver = await startOtlpReceiver({ t });
  const child = spawnNode(['--import', '@closewatch/agent-node/register', app], {
    cwd: repoRoot,
    t,
    env: { CLOSEWATCH_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: undefined },
  });
  await child.waitForOutput(/listening \d+/, STARTUP_MS);
  const port = Number(/listening (\d+)/.exec(child.stdout())?.[1]);
  await echoAndClose(await open(t, port));
  const spans = await waitFor(() => serverSpans(receiver).length >= 1 && serverSpans(receiver), ARRIVAL);
  assert.equal(attribute(spans[0], 'websocket.close.code'), 1000);
  assert.ok(child.isRunning(), 'no exit or signal was needed');
});
