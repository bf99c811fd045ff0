// Message round trips on engine.io (socket.io) connections, whose text frames the agent reads the first
// bytes of, against the same on plain connections: what the per-frame reading costs over bare ws.
import { quickOr, startWsServer } from '@closewatch/test/harness';
import { createBenchAgent } from './bench-agent.js';
import { closeClients, compare, formatRatio, measured, openClients, reportComparison, roundTrips, verdict, type RoundResult } from './load.js';

const ROUNDS = quickOr(4, 16);
const ROUND_MS = 800;
const CONNECTIONS = 4;
const SETTLE_MS = 300;
const TARGET = 0.97;
/** A socket.io EVENT as engine.io writes it (engine.io `4`, socket.io `2`), 64 bytes like the plain bench's. */
const SOCKET_IO_EVENT = `42["chat","${'x'.repeat(53)}"]`;

// engine.io sends its packets as strings: the echo does too, so the agent's send path reads them.
const server = await startWsServer({
  onConnection(ws) {
    ws.on('message', function echo(data, isBinary) {
      ws.send(isBinary ? data : (data as Buffer).toString());
    });
  },
});
const agent = createBenchAgent({ instrumentClients: false });

async function round(path: string, payload: string | undefined, durationMs = ROUND_MS): Promise<RoundResult> {
  const clients = await openClients(`${server.url}${path}`, CONNECTIONS);
  try {
    return await measured(() => roundTrips(clients, durationMs, payload));
  } finally {
    await closeClients(clients);
  }
}

try {
  for (const [name, path, payload] of [
    ['plain ws', '/chat', undefined],
    ['engine.io', '/socket.io/?EIO=4&transport=websocket', SOCKET_IO_EVENT],
  ] as const) {
    for (const warm of [false, true]) {
      if (warm) agent.enable();
      await round(path, payload);
      if (warm) agent.disable();
    }
    const result = await compare(
      ROUNDS,
      agent,
      () => round(path, payload),
      () => round(path, payload, SETTLE_MS),
    );
    console.log(
      `${name} round trips: baseline ${result.baselinePerSecond.toFixed(0)}/s, with agent ${result.instrumentedPerSecond.toFixed(0)}/s ` +
        `(${ROUNDS} alternating rounds of ${ROUND_MS} ms, ${CONNECTIONS} open connections, 64-byte text echoed as a string)`,
    );
    console.log(
      `${name} round-trip ratio: ${formatRatio(result.ratio, result.ratioQuartiles)} per wall-clock second, ${formatRatio(result.cpuRatio, result.cpuRatioQuartiles)} per CPU second (target >= ${TARGET}x) ${verdict(result.cpuRatio, TARGET)}`,
    );
    reportComparison(
      `${name} message round trips with the agent`,
      'round trips/s',
      result,
      TARGET,
      `${ROUNDS} alternating rounds of ${ROUND_MS} ms, ${CONNECTIONS} connections; the target reads the CPU ratio`,
    );
  }
} finally {
  await agent.shutdown();
  await server.close();
}
