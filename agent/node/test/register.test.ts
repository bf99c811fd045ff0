import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { spawnNode, startOtlpReceiver, waitFor, type RecordedRequest } from '@closewatch/test/harness';
import WebSocket from 'ws';

/** A child under the agent can take tens of seconds to start on a saturated machine. */
const STARTUP_MS = 60_000;
const ARRIVAL = { timeoutMs: 30_000 };

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

interface OtlpJsonAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean };
}
interface OtlpJsonSpan {
  name: string;
  kind: number;
  attributes: OtlpJsonAttribute[];
}

interface OtlpJsonRequest {
  resourceSpans?: { scopeSpans?: { scope?: { name?: string }; spans?: OtlpJsonSpan[] }[] }[];
}

function jsonSpans(requests: RecordedRequest[]): { scope: string; span: OtlpJsonSpan }[] {
  const found: { scope: string; span: OtlpJsonSpan }[] = [];
  for (const request of requests) {
    const body = JSON.parse(request.body.toString('utf8')) as OtlpJsonRequest;
    for (const resourceSpans of body.resourceSpans ?? []) {
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) found.push({ scope: scopeSpans.scope?.name ?? '', span });
      }
    }
  }
  return found;
}

function attribute(span: OtlpJsonSpan, key: string): unknown {
  const value = span.attributes.find((entry) => entry.key === key)?.value;
  return value?.stringValue ?? value?.boolValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
}

/** Starts the app under the agent, holds one echoed connection open, then SIGTERMs the app. */
async function sigtermWithOpenConnection(t: TestContext, preload: string[], app: string, env: Record<string, string>) {
  const receiver = await startOtlpReceiver({ t });
  const child = spawnNode([...preload, fixture(app)], { cwd: repoRoot, t, env: { CLOSEWATCH_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'echo-app', ...env } });
  await child.waitForOutput(/listening \d+/, STARTUP_MS);
  const port = Number(/listening (\d+)/.exec(child.stdout())?.[1]);
  const client = new WebSocket(`ws://127.0.0.1:${port}/echo`);
  t.after(() => client.terminate());
  client.on('error', () => undefined);
  await new Promise((resolve) => client.once('open', resolve));
  const echoed = new Promise((resolve) => client.once('message', resolve));
  client.send('ping over ws');
  await echoed;
  child.kill('SIGTERM');
  const exit = await child.exited;
  await receiver.waitForRequests(1, 30_000);
  return { exit, requests: receiver.requests };
}

test('--import register (ESM app, http/json): SIGTERM ends the open span as process_exit and exports it before exit', async (t) => {
  const { exit, requests } = await sigtermWithOpenConnection(t, ['--import', '@closewatch/agent-node/register'], 'echo-server.mjs', {
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
  });
  assert.equal(exit.signal, 'SIGTERM', 'the app still dies of SIGTERM, as without the agent');
  assert.equal(requests[0]?.path, '/v1/traces');
  assert.match(String(requests[0]?.headers['content-type']), /application\/json/);
  const spans = jsonSpans(requests);
  const server = spans.find(({ span }) => span.kind === 2);
  assert.ok(server, 'a SERVER span arrived');
  assert.equal(server.scope, '@closewatch/agent-node');
  assert.equal(server.span.name, 'websocket.connection');
  assert.equal(attribute(server.span, 'websocket.termination'), 'process_exit');
  assert.equal(attribute(server.span, 'websocket.route'), '/echo');
  assert.equal(attribute(server.span, 'websocket.messages.received'), 1);
  assert.equal(attribute(server.span, 'websocket.messages.sent'), 1);
});

test('--require register (CommonJS app, default http/protobuf): the span reaches the receiver as protobuf', async (t) => {
  const { exit, requests } = await sigtermWithOpenConnection(t, ['--require', '@closewatch/agent-node/register'], 'echo-server.cjs', {
    CLOSEWATCH_INGEST_KEY: 'server-key-1',
  });
  assert.equal(exit.signal, 'SIGTERM');
  const request = await waitFor(() => requests.find((r) => r.path === '/v1/traces'), ARRIVAL);
  assert.match(String(request.headers['content-type']), /application\/x-protobuf/);
  assert.equal(request.headers['x-closewatch-key'], 'server-key-1', 'CLOSEWATCH_INGEST_KEY is sent as the ingest key header');
  // Protobuf keeps strings as UTF-8 bytes: the scope, span name and attribute values are readable.
  const text = request.body.toString('latin1');
  for (const expected of ['@closewatch/agent-node', 'websocket.connection', 'websocket.termination', 'process_exit', 'echo-app']) {
    assert.ok(text.includes(expected), `protobuf body contains ${expected}`);
  }
});

test('an app whose event loop runs dry exports its spans at beforeExit, without a signal', async (t) => {
  const receiver = await startOtlpReceiver({ t });
  const child = spawnNode(['--import', '@closewatch/agent-node/register', fixture('one-connection.mjs')], {
    cwd: repoRoot,
    t,
    env: { CLOSEWATCH_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' },
  });
  const exit = await child.exited;
  assert.equal(exit.code, 0);
  const spans = await waitFor(() => {
    const received = jsonSpans(receiver.requests);
    return received.length >= 2 && received;
  }, ARRIVAL);
  const kinds = spans.map(({ span }) => span.kind).sort();
  assert.deepEqual(kinds, [2, 3], 'the SERVER and the CLIENT span of the one connection');
  for (const { span } of spans) assert.equal(attribute(span, 'websocket.close.code'), 4000);
});

test('an app that registered its own tracer provider first gets only the instrumentation, no second exporter', async (t) => {
  const receiver = await startOtlpReceiver({ t });
  const child = spawnNode(['--import', fixture('own-tracer-provider.mjs'), '--import', '@closewatch/agent-node/register', fixture('one-connection.mjs')], {
    cwd: repoRoot,
    t,
    env: { CLOSEWATCH_ENDPOINT: receiver.url },
  });
  const exit = await child.exited;
  assert.equal(exit.code, 0);
  const printed = child.stdout();
  assert.match(printed, /own provider got websocket\.connection kind=1 code=4000/);
  assert.match(printed, /own provider got websocket\.connection kind=2 code=4000/);
  assert.equal(receiver.requests.length, 0, 'the agent started no exporter of its own');
});
