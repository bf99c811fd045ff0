import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { test } from 'node:test';
import { startWsServer, waitFor, type WsServerOptions } from '@closewatch/test/harness';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import WebSocket from 'ws';
import { WsInstrumentation } from '../src/index.js';

type Log = string[];

interface Scenario {
  name: string;
  server?: Omit<WsServerOptions, 't' | 'onConnection' | 'setup'>;
  protocols?: string[];
  onServer?(ws: WebSocket): void;
  onClientOpen?(client: WebSocket): void;
}

function hex(data: unknown): string {
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('hex');
  return Buffer.from(data as Buffer).toString('hex');
}

/** Everything the app can observe on one end, in order. */
function recordEvents(ws: WebSocket, log: Log): Promise<void> {
  ws.on('open', () => log.push(`open protocol=${ws.protocol} extensions=${ws.extensions}`));
  ws.on('message', (data, isBinary) => log.push(`message binary=${isBinary} ${hex(data)}`));
  ws.on('ping', (data) => log.push(`ping ${hex(data)}`));
  ws.on('pong', (data) => log.push(`pong ${hex(data)}`));
  ws.on('error', (error: Error & { code?: string }) => log.push(`error ${error.code ?? ''} ${error.message}`));
  return new Promise((resolve) => {
    ws.on('close', (code, reason) => {
      log.push(`close ${code} ${reason.toString()} readyState=${ws.readyState}`);
      resolve();
    });
  });
}

function socketOf(ws: WebSocket): Socket {
  return (ws as unknown as { _socket: Socket })._socket;
}

const echo = (ws: WebSocket): void => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
};

const scenarios: Scenario[] = [
  {
    name: 'text echo, client closes 1000',
    onServer: echo,
    onClientOpen(client) {
      client.once('message', () => client.close(1000, 'done'));
      client.send('hello');
    },
  },
  {
    name: 'binary echo, server closes 4000',
    onServer(ws) {
      ws.on('message', (data) => {
        ws.send(data, { binary: true });
        ws.close(4000, 'bye');
      });
    },
    onClientOpen: (client) => client.send(Buffer.from([1, 2, 3, 255])),
  },
  {
    name: 'fragmented message',
    onServer(ws) {
      ws.on('message', () => ws.close(1000));
    },
    onClientOpen(client) {
      client.send('frag-', { fin: false });
      client.send('ment-', { fin: false });
      client.send('end', { fin: true });
    },
  },
  {
    name: 'ping and pong both ways',
    onServer(ws) {
      ws.on('ping', () => ws.ping('from-server'));
      ws.on('pong', () => ws.close(1001, 'going away'));
    },
    onClientOpen: (client) => client.ping('from-client'),
  },
  {
    name: 'client close code 3000 with a reason',
    onClientOpen: (client) => client.close(3000, 'app says so'),
  },
  {
    name: 'permessage-deflate negotiated',
    server: { perMessageDeflate: true },
    onServer: echo,
    onClientOpen(client) {
      client.once('message', () => client.close(1000));
      client.send('compress me '.repeat(20));
    },
  },
  { name: 'subprotocol negotiated', protocols: ['a', 'b'], server: { handleProtocols: () => 'b' }, onServer: (ws) => ws.close(1000) },
  { name: 'handleProtocols refuses', protocols: ['a'], server: { handleProtocols: () => false } },
  { name: 'verifyClient rejection', server: { verifyClient: () => false } },
  { name: 'maxPayload exceeded', server: { maxPayload: 8 }, onClientOpen: (client) => client.send('123456789') },
  { name: 'server terminate', onServer: (ws) => ws.terminate() },
  { name: 'client socket destroyed', onClientOpen: (client) => socketOf(client).destroy() },
  {
    name: 'server ends its TCP side without a close frame',
    onServer: (ws) => setImmediate(() => socketOf(ws).end()),
  },
];

async function runScenario(scenario: Scenario): Promise<{ server: Log[]; client: Log }> {
  const serverLogs: Log[] = [];
  const serverClosed: Promise<void>[] = [];
  const server = await startWsServer({
    ...scenario.server,
    onConnection(ws) {
      const log: Log = [];
      serverLogs.push(log);
      serverClosed.push(recordEvents(ws, log));
      scenario.onServer?.(ws);
    },
  });
  try {
    const client = new WebSocket(`${server.url}/scenario`, scenario.protocols);
    const clientLog: Log = [];
    const clientClosed = recordEvents(client, clientLog);
    client.on('open', () => scenario.onClientOpen?.(client));
    await clientClosed;
    await waitFor(() => serverClosed.length === serverLogs.length && Promise.all(serverClosed).then(() => true), { message: 'server sockets closed' });
    return { server: serverLogs, client: clientLog };
  } finally {
    await server.close();
  }
}

test('every scenario produces the same events, codes, reasons and errors on both ends with and without the agent', async () => {
  const baseline = [];
  for (const scenario of scenarios) baseline.push(await runScenario(scenario));

  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const instrumentation = new WsInstrumentation({ handleProcessExit: false });
  instrumentation.setTracerProvider(provider);
  try {
    for (const [index, scenario] of scenarios.entries()) {
      const before = exporter.getFinishedSpans().length;
      const instrumented = await runScenario(scenario);
      assert.deepEqual(instrumented, baseline[index], `scenario "${scenario.name}"`);
      await waitFor(() => exporter.getFinishedSpans().length >= before + 2, { message: `spans of "${scenario.name}"` });
    }
  } finally {
    instrumentation.disable();
    await provider.shutdown();
  }
  assert.ok(baseline.every(({ client }) => client.length > 0));
});
