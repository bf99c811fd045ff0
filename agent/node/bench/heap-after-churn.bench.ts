// Heap after 100,000 connections opened and closed with the agent on both ends: back within 5% of the start.
import { setImmediate as nextLoop } from 'node:timers/promises';
import { quickOr, reportFigure, startWsServer } from '@closewatch/test/harness';
import { createBenchAgent } from './bench-agent.js';
import { churn } from './load.js';

const CONNECTIONS = quickOr(5_000, 100_000);
const WARM_UP_CONNECTIONS = quickOr(1_000, 5_000);
const WORKERS = 32;
const TARGET = 1.05;

async function settledHeap(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench does)');
  // Several passes: closed sockets are finalised over a few turns of the event loop.
  for (let pass = 0; pass < 6; pass++) {
    await nextLoop();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

const server = await startWsServer();
const agent = createBenchAgent();
agent.enable();
try {
  await churn(server.url, { workers: WORKERS, limit: WARM_UP_CONNECTIONS });
  await agent.flush();
  const start = await settledHeap();
  const startedAt = Date.now();
  const completed = await churn(server.url, { workers: WORKERS, limit: CONNECTIONS });
  const seconds = (Date.now() - startedAt) / 1000;
  await agent.flush();
  const end = await settledHeap();
  const ratio = end / start;
  console.log(
    `heap: ${(start / 1048576).toFixed(1)} MiB after warm-up, ${(end / 1048576).toFixed(1)} MiB after ${completed} more connections opened and closed in ${seconds.toFixed(0)} s (agent on server and client, ${agent.exportedSpans()} spans exported)`,
  );
  console.log(`heap ratio: ${ratio.toFixed(3)}x of the start (target <= ${TARGET}x) ${ratio <= TARGET ? 'OK' : 'ABOVE TARGET'}`);
  reportFigure({
    name: `heap after ${completed.toLocaleString('en-US')} connections opened and closed (agent on both ends)`,
    value: end / 1048576,
    unit: 'MiB',
    baseline: start / 1048576,
    baselineLabel: 'heap after warm-up',
    ratio,
    target: { op: '<=', ratio: TARGET },
  });
} finally {
  await agent.shutdown();
  await server.close();
}
