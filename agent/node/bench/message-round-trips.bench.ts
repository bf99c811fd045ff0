// Message round trips per second on open connections to a ws server carrying the agent, vs without it.
import { quickOr, startWsServer } from '@closewatch/test/harness';
import { createBenchAgent } from './bench-agent.js';
import { closeClients, compare, formatRatio, measured, openClients, reportComparison, roundTrips, verdict, type RoundResult } from './load.js';

const ROUNDS = quickOr(6, 16);
const ROUND_MS = 800;
const CONNECTIONS = 4;
const SETTLE_MS = 300;
const TARGET = 0.98;

const server = await startWsServer({
  onConnection(ws) {
    ws.on('message', function echo(data, isBinary) {
      ws.send(data, { binary: isBinary });
    });
  },
});
const agent = createBenchAgent({ instrumentClients: false });

/** Fresh connections each round, opened outside the measurement, so an instrumented round counts on live spans. */
async function round(durationMs = ROUND_MS): Promise<RoundResult> {
  const clients = await openClients(server.url, CONNECTIONS);
  try {
    return await measured(() => roundTrips(clients, durationMs));
  } finally {
    await closeClients(clients);
  }
}

try {
  for (const warm of [false, true]) {
    if (warm) agent.enable();
    await round();
    if (warm) agent.disable();
  }
  const result = await compare(
    ROUNDS,
    agent,
    () => round(),
    () => round(SETTLE_MS),
  );
  console.log(
    `message round trips: baseline ${result.baselinePerSecond.toFixed(0)}/s, with agent ${result.instrumentedPerSecond.toFixed(0)}/s ` +
      `(${ROUNDS} alternating rounds of ${ROUND_MS} ms after ${SETTLE_MS} ms unmeasured per switch, ${CONNECTIONS} open connections, 64-byte text echoed)`,
  );
  console.log(
    `message round-trip ratio: ${formatRatio(result.ratio, result.ratioQuartiles)} per wall-clock second, ${formatRatio(result.cpuRatio, result.cpuRatioQuartiles)} per CPU second (target >= ${TARGET}x) ${verdict(result.ratio, TARGET)}`,
  );
  reportComparison(
    'message round trips to a ws server with the agent',
    'round trips/s',
    result,
    TARGET,
    `${ROUNDS} alternating rounds of ${ROUND_MS} ms, ${CONNECTIONS} connections, 64-byte text`,
  );
} finally {
  await agent.shutdown();
  await server.close();
}
