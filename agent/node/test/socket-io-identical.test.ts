import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { test } from 'node:test';
import { waitFor } from '@closewatch/test/harness';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Server } from 'socket.io';
import { io as connect, type ManagerOptions, type Socket as ClientSocket, type SocketOptions } from 'socket.io-client';
import { WsInstrumentation } from '../src/index.js';

type Log = string[];

/** engine.io's server-side connection, as far as the log reads it. */
interface EngineConnection {
  transport: { name: string; socket?: { on(event: 'close', listener: (code: number, reason: Buffer) => void): void } };
  on(event: 'close', listener: (reason: string) => void): void;
  on(event: 'upgrade', listener: () => void): void;
}

interface Scenario {
  name: string;
  client?: Partial<ManagerOptions & SocketOptions>;
  namespace?: string;
  setup?(io: Server): void;
  onConnect?(socket: ClientSocket): void;
}

const dropPongs = (socket: ClientSocket) => {
  const engine = socket.io.engine as unknown as { _sendPacket: (this: unknown, type: string, ...rest: unknown[]) => void };
  const sendPacket = engine._sendPacket;
  engine._sendPacket = function withoutPongs(this: unknown, type: string, ...rest: unknown[]) {
    if (type !== 'pong') sendPacket.call(this, type, ...rest);
  };
};

const scenarios: Scenario[] = [
  { name: 'leave', onConnect: (socket) => socket.emit('chat', 'hello', Buffer.from([1, 2, 3]), () => socket.disconnect()) },
  { name: 'kick', setup: (io) => io.on('connection', (socket) => setTimeout(() => socket.disconnect(true), 20)) },
  { name: 'middleware refusal', setup: (io) => io.use((_socket, next) => next(Object.assign(new Error('unauthorized'), { data: { code: 'token_expired' } }))) },
  { name: 'unknown namespace', namespace: '/nope' },
  { name: 'io.close()', setup: (io) => io.on('connection', () => setTimeout(() => void io.close(), 20)) },
  { name: 'the client drops pongs', onConnect: dropPongs },
  {
    name: 'polling upgraded to websocket, then leave',
    client: { transports: ['polling', 'websocket'] },
    onConnect(socket) {
      const leave = () => setTimeout(() => socket.disconnect(), 20);
      if (socket.io.engine.transport.name === 'websocket') leave();
      else socket.io.engine.once('upgrade', leave);
    },
  },
];

function watchEngineConnection(connection: EngineConnection, log: Log): void {
  const watchTransport = () => {
    const name = connection.transport.name;
    connection.transport.socket?.on('close', (code, reason) => log.push(`ws close ${name} ${code} ${reason.toString()}`));
  };
  watchTransport();
  connection.on('upgrade', watchTransport);
  connection.on('close', (reason) => log.push(`engine close ${reason}`));
}

/** Everything socket.io and engine.io tell the app on each end, with the WebSocket close codes. */
async function runScenario(scenario: Scenario): Promise<{ server: Log; client: Log }> {
  const serverLog: Log = [];
  const clientLog: Log = [];
  const http = createServer();
  const io = new Server(http, { pingInterval: 200, pingTimeout: 150 });
  io.engine.on('connection', (connection: EngineConnection) => watchEngineConnection(connection, serverLog));
  io.on('connection', (socket) => {
    serverLog.push(`connection ${socket.nsp.name}`);
    socket.on('chat', (text: string, bytes: Buffer, ack: () => void) => {
      serverLog.push(`chat ${text} ${bytes.toString('hex')}`);
      ack();
    });
    socket.on('disconnect', (reason) => serverLog.push(`disconnect ${reason}`));
  });
  scenario.setup?.(io);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}${scenario.namespace ?? ''}`;
  const socket = connect(url, { transports: ['websocket'], reconnection: false, ...scenario.client });
  let done = false;
  socket.io.on('open', () => {
    socket.io.engine.on('close', (reason: string, details?: unknown) => {
      const code = (details as { context?: { code?: number } } | undefined)?.context?.code;
      clientLog.push(`engine close ${reason} ${code ?? ''}`);
      done = true;
    });
  });
  socket.on('connect', () => {
    clientLog.push('connect');
    scenario.onConnect?.(socket);
  });
  socket.on('connect_error', (error: Error & { data?: unknown }) => {
    clientLog.push(`connect_error ${error.message} ${JSON.stringify(error.data ?? null)}`);
    setTimeout(() => socket.close(), 20);
  });
  socket.on('disconnect', (reason) => clientLog.push(`disconnect ${reason}`));
  try {
    await waitFor(() => done && serverLog.some((line) => line.startsWith('engine close')), {
      message: `"${scenario.name}" ended on both ends (server: ${serverLog.join(' | ')}; client: ${clientLog.join(' | ')})`,
    });
    return { server: serverLog, client: clientLog };
  } finally {
    socket.close();
    await io.close();
  }
}

/** How often a scenario runs again, with and without the agent, when the two runs differ. */
const RERUNS = 4;

test("socket.io's own reasons and the WebSocket close codes are the same on both ends with and without the agent", async () => {
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
      // Some ends are a race inside engine.io even without any agent (a client's forced close reaches the
      // server as "transport close" or "transport error" by whether the TCP reset beats the close frame):
      // an outcome that differs must also be one the uninstrumented app reaches when run again.
      const seen = [baseline[index]];
      for (let rerun = 0; rerun < RERUNS && !seen.some((outcome) => isDeepStrictEqual(outcome, instrumented)); rerun++) {
        instrumentation.disable();
        seen.push(await runScenario(scenario));
        instrumentation.enable();
      }
      assert.ok(
        seen.some((outcome) => isDeepStrictEqual(outcome, instrumented)),
        `scenario "${scenario.name}": with the agent ${JSON.stringify(instrumented)}; without it only ${JSON.stringify(seen)}`,
      );
      await waitFor(() => exporter.getFinishedSpans().length >= before + 2, { message: `spans of "${scenario.name}"` });
    }
  } finally {
    instrumentation.disable();
    await provider.shutdown();
  }
  // The scenarios reach what they are about: every reason the table of the issue names shows up.
  const lines = baseline.flatMap(({ server, client }) => [...server, ...client]).join('\n');
  for (const reason of [
    'io client disconnect',
    'io server disconnect',
    'server namespace disconnect',
    'connect_error unauthorized',
    'Invalid namespace',
    'server shutting down',
    'ping timeout',
    'transport close',
  ]) {
    assert.ok(lines.includes(reason), `some scenario shows "${reason}"`);
  }
});
