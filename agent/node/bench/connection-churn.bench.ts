// Connection churn: open+close per second through a server carrying the agent vs the same run without it.
import { startWsServer } from '@closewatch/test/harness';
import { createBenchAgent } from './bench-agent.js';
import { alternate, churn, median } from './load.js';

const ROUNDS = Number(process.env.ROUNDS ?? 12);
const ROUND_MS = 1000;
const WORKERS = 8;
const TARGET = 0.95;

async function measure(label: string, agent: ReturnType<typeof createBenchAgent>, url: string): Promise<number> {
  const { baseline, instrumented, ratios } = await alternate(ROUNDS, agent, () => churn(url, { workers: WORKERS, durationMs: ROUND_MS }));
  const seconds = (ROUNDS * ROUND_MS) / 1000;
  const ratio = median(ratios);
  console.log(`${label}: baseline ${(baseline / seconds).toFixed(0)}/s, instrumented ${(instrumented / seconds).toFixed(0)}/s, ratio ${ratio.toFixed(3)}x (median of ${ROUNDS} alternating rounds; totals ${(instrumented / baseline).toFixed(3)}x)`);
  return ratio;
}

const server = await startWsServer();
// The agent as deployed on a server; the load-generating clients in this process stay uninstrumented.
const serverAgent = createBenchAgent({ instrumentClients: false });
const bothSides = createBenchAgent();
try {
  await churn(server.url, { workers: WORKERS, durationMs: 1000 });
  serverAgent.enable();
  await churn(server.url, { workers: WORKERS, durationMs: 500 });
  serverAgent.disable();
  const ratio = await measure('connection churn, server agent', serverAgent, server.url);
  await measure('connection churn, agent on server and client (informational)', bothSides, server.url);
  console.log(`connection churn ratio: ${ratio.toFixed(3)}x (target >= ${TARGET}x) ${ratio >= TARGET ? 'OK' : 'BELOW TARGET'}`);
} finally {
  await serverAgent.shutdown();
  await bothSides.shutdown();
  await server.close();
}
