// Message round trips per second on open connections to a ws server carrying the agent, vs without it.
import { startWsServer } from '@closewatch/test/harness';
import { createBenchAgent } from './bench-agent.js';
import { closeClients, compare, measured, openClients, roundTrips, verdict } from './load.js';

const ROUNDS = 16;
const ROUND_MS = 800;
const CONNECTIONS = 4;
const TARGET = 0.98;

const server = await startWsServer({
  onConnection(ws) {
    ws.on('message', function echo(data, isBinary) {
      ws.send(data, { binary: isBinary });
    });
  },
});
const agent = createBenchAgent({ instrumentClients: false });
try {
  // Connections open while the agent is on, so their spans count messages in the instrumented rounds.
  agent.enable();
  const clients = await openClients(server.url, CONNECTIONS);
  agent.disable();
  await roundTrips(clients, 700);
  const result = await compare(ROUNDS, { enable: () => agent.enable(), disable: () => agent.disable() }, () => measured(() => roundTrips(clients, ROUND_MS)));
  console.log(
    `message round trips: baseline ${result.baselinePerSecond.toFixed(0)}/s, with agent ${result.instrumentedPerSecond.toFixed(0)}/s ` +
      `(${ROUNDS} alternating rounds of ${ROUND_MS} ms, ${CONNECTIONS} open connections, 64-byte text echoed)`,
  );
  console.log(`message round-trip ratio: ${result.ratio.toFixed(3)}x per wall-clock second, ${result.cpuRatio.toFixed(3)}x per CPU second (target >= ${TARGET}x) ${verdict(result.ratio, TARGET)}`);
  await closeClients(clients);
} finally {
  await agent.shutdown();
  await server.close();
}
