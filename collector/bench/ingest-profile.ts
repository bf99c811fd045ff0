// Where ingest's time goes, for one store at a time (a diagnostic, not a pass/fail bench):
//   npx tsx collector/bench/ingest-profile.ts <discard|memory|duckdb> [json|protobuf]
// Prints throughput, the main thread's event-loop utilisation, the process's CPU per span (all threads,
// the load generator's worker included) and the main thread's GC time per span, measured from the
// run's first request. Add `node --cpu-prof --import tsx` for a profile of the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance, PerformanceObserver, type EventLoopUtilization } from 'node:perf_hooks';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { discardStore } from './support/discard-store.js';
import { memoryJoinStore } from './support/memory-join-store.js';
import { runLoad } from './support/run-load.js';
import { serveApp } from './support/serve-app.js';

const kind = process.argv[2] ?? 'duckdb';
const format = process.argv[3] === 'protobuf' ? 'protobuf' : 'json';
const RUNS = 3;
const BATCHES = 600;

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });

const dataDir = mkdtempSync(join(tmpdir(), 'closewatch-profile-'));
const stores: Record<string, () => Promise<Store>> = {
  discard: () => Promise.resolve(discardStore()),
  memory: () => Promise.resolve(memoryJoinStore()),
  duckdb: () => openStore({ dataDir, databaseUrl: null }),
};
if (!stores[kind]) throw new Error(`unknown store "${kind}": use discard, memory or duckdb`);
const store = await stores[kind]();
const app = await serveApp(store);
try {
  await runLoad({ url: app.url, format, batches: 100 });
  for (let run = 0; run < RUNS; run++) {
    let elu0: EventLoopUtilization | undefined;
    let cpu0: NodeJS.CpuUsage | undefined;
    app.server.once('request', () => {
      gcMs = 0;
      elu0 = performance.eventLoopUtilization();
      cpu0 = process.cpuUsage();
    });
    const result = await runLoad({ url: app.url, format, batches: BATCHES });
    const elu = performance.eventLoopUtilization(elu0).utilization;
    const cpu = process.cpuUsage(cpu0);
    const cpuUs = cpu.user + cpu.system;
    console.log(
      `${kind} ${format}: ${result.spansPerSecond.toFixed(0)} spans/s, main thread busy ${(elu * 100).toFixed(0)}% ` +
        `(${((elu * 1e6) / result.spansPerSecond).toFixed(1)} µs/span), process CPU ${(cpuUs / 1000 / result.elapsedMs).toFixed(2)} cores ` +
        `(${(cpuUs / result.spans).toFixed(1)} µs/span), main-thread GC ${((gcMs * 1000) / result.spans).toFixed(1)} µs/span`,
    );
  }
} finally {
  await app.close();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}
