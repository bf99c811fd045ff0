// Connection churn: open+close per second through a ws server carrying the agent, vs the same run without it.
import { quickOr, startWsServer } from '@closewatch/test/harness';
import { createBenchAgent } from './bench-agent.js';
import { compareChurn, formatRatio, reportComparison, verdict } from './load.js';

const ROUNDS = quickOr(6, 16);
const ROUND_MS = 800;
const WORKERS = 8;
const SETTLE_MS = 400;
const TARGET = 0.95;

const server = await startWsServer();
// The agent as deployed on a server; the load-generating ws clients in this process stay uninstrumented.
const agent = createBenchAgent({ instrumentClients: false });
try {
  const result = await compareChurn(server.url, ROUNDS, agent, { workers: WORKERS, roundMs: ROUND_MS, settleMs: SETTLE_MS });
  console.log(
    `connection churn: baseline ${result.baselinePerSecond.toFixed(0)}/s, with agent ${result.instrumentedPerSecond.toFixed(0)}/s ` +
      `(${ROUNDS} alternating rounds of ${ROUND_MS} ms after ${SETTLE_MS} ms unmeasured per switch, ${WORKERS} concurrent loopback clients, spans through a BatchSpanProcessor)`,
  );
  console.log(
    `connection churn ratio: ${formatRatio(result.ratio, result.ratioQuartiles)} per wall-clock second, ${formatRatio(result.cpuRatio, result.cpuRatioQuartiles)} per CPU second (target >= ${TARGET}x) ${verdict(result.ratio, TARGET)}`,
  );
  console.log(`spans exported: ${agent.exportedSpans()}`);
  reportComparison(
    'connection churn (open + close) through a ws server with the agent',
    'connections/s',
    result,
    TARGET,
    `${ROUNDS} alternating rounds of ${ROUND_MS} ms, ${WORKERS} loopback clients`,
  );
} finally {
  await agent.shutdown();
  await server.close();
}
