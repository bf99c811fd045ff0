// Ingest throughput of websocket.connection spans (batches of 100, JSON and protobuf) stored on DuckDB,
// as a ratio to the parse-only ceiling measured in the same run: the same HTTP path and decoding with a
// store that keeps nothing. A third run joins and classifies in memory with nothing durable, so the
// output also separates the collector's own join/classify cost from what durable storage costs.
// The load generator runs in a worker thread; all three share this machine's 2 cores.
//
// Where the stored run's main-thread time goes (node --cpu-prof, 2026-11-25): decoding and validation
// as in the ceiling, then per side one JSON.stringify of its journal line (since the compact side
// form ~4–5 µs per side with its UTF-8 encoding, was ~6.7), merging, classification (~2 µs per
// connection), the final line, and GC. DuckDB's own work
// (loading final rows in bulk) runs on its threads. Durability is one write + fdatasync per group of
// requests in each journal (0.3–0.6 ms on this disk), overlapped with the next group's CPU work.
//
// Later on 2026-11-25, quiet machine (`bench/ingest-profile.ts`, protobuf, 600 batches): the main thread
// is the limit in every run (busy 93–100%; the process uses 1.3–1.4 of the 2 cores). Per span on the
// main thread: parse-only ~7.4 µs, joined in memory ~9.5, stored on DuckDB ~20 before and ~18.5 after
// two GC fixes (the async part of a request held its decoded OTLP request, and final rows waiting to
// load were JS strings: scavenges copied ~2 MB of survivors every ~13 ms). What storage still adds
// (profile diff against the in-memory join): side lines' JSON.stringify ~2.0 µs, GC ~1.5, final lines
// ~0.9, finalize/upsert bookkeeping ~1, buffers and writes ~0.6. DuckDB's loads cost 3–11 µs of CPU per
// row on its threads, most of it checkpoints (a 64MB checkpoint_threshold halves it), but that core
// has room, so neither it nor removing every durability wait (a test hack: same throughput, busy 100%)
// changes the figure.
// Why 0.5x is out of reach in this design: at 0.5x the stored run has 2x the ceiling's wall time per
// span, so its main thread may spend 2 x 7.4 = 14.8 µs per span (it spends ~18.5) and all threads together
// 2 cores x 14.8 = 29.6 µs including the load generator's ~2.2 (they spend ~27–30 now). Moving the
// join and storage to a worker thread frees the main thread but adds the sides' structured clone (1.4
// µs to send, 2.6 to receive, measured), which the total cannot afford either. Reaching it needs less
// work per span in total: e.g. journaling the request body as received (no per-side encoding) and
// final rows rebuilt from it, with the join in a worker. That first step alone is not enough: with
// side lines replaced by a constant (a test hack, an upper bound for it), stored runs went from
// 47–49k to 54–57k spans/s (JSON) and 48–51k to 51–58k (protobuf), main thread 16–18 µs per span.
//
// Evening of 2026-11-25, on a bench machine ~2.5x slower per core (same figures ~2.5x larger): 0.41x / 0.28x
// and 23k spans/s at the start, 0.34–0.43x / 0.29–0.36x and 22–28.5k spans/s after (two full runs).
// What moved it (profile diffs of the three stores, micro-benchmarks in plain node; tsx inflates
// cross-module calls): the classifier was ~40%
// of the request's decode (outcomeOf 4.7 -> 1.75 µs per connection, same output on 2.7M compared
// inputs); JSON.stringify writes an epoch-ms number ~0.1 µs slower than a small integer, and a side line
// had ten (offsets now: 3.7 -> 2.95 µs per line); one closesTotal.inc per label set of a batch (prom-client
// spends ~1.1 µs per call); both Bloom hashes in one pass. Tried and dropped: a hand-written side-line
// encoder (template strings, JSON.stringify only for strings) is no faster than JSON.stringify; final
// lines as arrays would save ~0.8 µs per connection but need a second load path for older lines;
// releasing a request's sides once upserted (not held for the group's retry until the final lines are
// durable) showed no GC change within this machine's noise (GC 4.0–7.3 µs per span either way, 9 runs each).
// Journaling request bodies as received is not an option as it stands: it writes unscrubbed url.full
// (userinfo, secret query values) and ignored spans to disk (see src/store/README.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import type { WiredDeps } from '../src/deps.js';
import { discardStore } from './support/discard-store.js';
import { quickOr, reportFigure } from '@closewatch/test/harness';
import { memoryJoinStore } from './support/memory-join-store.js';
import { runLoad, type LoadResult } from './support/run-load.js';
import { serveApp } from './support/serve-app.js';

const BATCHES = Number(process.env.CLOSEWATCH_BENCH_BATCHES ?? quickOr(50, 300));
/**
 * Ceiling and stored runs alternate this many times. The verdict uses the median of each round's
 * stored/ceiling ratio (neighbours in time, so load from other work cancels out); the best of each
 * kind of run is printed too. On this shared 2-core machine the ceiling alone swings 40k–107k spans/s
 * between runs, so a ratio of two best-ofs mostly measures which run was least disturbed.
 */
const ROUNDS = Number(process.env.CLOSEWATCH_BENCH_ROUNDS ?? quickOr(2, 5));
const WARMUP_BATCHES = 30;
const TARGET_RATIO = 0.5;
const TARGET_SPANS_PER_SECOND = 25_000;

/** Mean store latency per operation during a run, from closewatch_store_operation_duration_seconds. */
async function storeLatency(deps: WiredDeps): Promise<string> {
  const samples = (await deps.metrics.storeOperationDuration.get()).values;
  const of = (operation: string, suffix: string) =>
    samples.find((sample) => sample.metricName?.endsWith(suffix) && sample.labels.operation === operation)?.value ?? 0;
  return ['upsert_sides', 'finalize']
    .map((operation) => `${operation} ${of(operation, '_count')}× avg ${((of(operation, '_sum') / Math.max(1, of(operation, '_count'))) * 1000).toFixed(1)} ms`)
    .join(', ');
}

interface Measured extends LoadResult {
  storeLatency: string;
}

async function measure(store: Store, format: 'json' | 'protobuf'): Promise<Measured> {
  const { url, deps, close } = await serveApp(store);
  try {
    await runLoad({ url, format, batches: WARMUP_BATCHES });
    deps.metrics.storeOperationDuration.reset();
    const result = await runLoad({ url, format, batches: BATCHES });
    const failed = Object.entries(result.statuses).filter(([status]) => status !== '200');
    if (failed.length > 0) throw new Error(`non-200 answers: ${JSON.stringify(result.statuses)}`);
    return { ...result, storeLatency: await storeLatency(deps) };
  } finally {
    await close();
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'closewatch-bench-'));
let failures = 0;
try {
  const duckdb = await openStore({ dataDir, databaseUrl: null });
  try {
    for (const format of ['json', 'protobuf'] as const) {
      let ceiling: Measured | null = null;
      let joined: Measured | null = null;
      let stored: Measured | null = null;
      const pairedRatios: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const ceilingRun = await measure(discardStore(), format);
        const joinedRun = await measure(memoryJoinStore(), format);
        const storedRun = await measure(duckdb, format);
        if (!ceiling || ceilingRun.spansPerSecond > ceiling.spansPerSecond) ceiling = ceilingRun;
        if (!joined || joinedRun.spansPerSecond > joined.spansPerSecond) joined = joinedRun;
        if (!stored || storedRun.spansPerSecond > stored.spansPerSecond) stored = storedRun;
        pairedRatios.push(storedRun.spansPerSecond / ceilingRun.spansPerSecond);
      }
      if (!ceiling || !joined || !stored) throw new Error('CLOSEWATCH_BENCH_ROUNDS must be at least 1');
      const sortedRatios = [...pairedRatios].sort((a, b) => a - b);
      const ratio = sortedRatios[Math.floor((sortedRatios.length - 1) / 2)] / 2 + sortedRatios[Math.ceil((sortedRatios.length - 1) / 2)] / 2;
      const ok = ratio >= TARGET_RATIO && stored.spansPerSecond >= TARGET_SPANS_PER_SECOND;
      if (!ok) failures++;
      console.log(
        `ingest ${format.padEnd(8)} parse-only ceiling ${ceiling.spansPerSecond.toFixed(0)} spans/s, ` +
          `stored on DuckDB ${stored.spansPerSecond.toFixed(0)} spans/s ` +
          `(best of ${ROUNDS} runs of ${BATCHES} batches of 100, 8 in flight; best/best ${(stored.spansPerSecond / ceiling.spansPerSecond).toFixed(2)}×) → ` +
          `ratio ${ratio.toFixed(2)}×, median of the ${ROUNDS} rounds' stored/ceiling (range ${sortedRatios[0].toFixed(2)}–${sortedRatios.at(-1)!.toFixed(2)}) ` +
          `(target ≥${TARGET_RATIO}× and ≥${TARGET_SPANS_PER_SECOND} spans/s: ${ok ? 'met' : 'NOT met'})`,
      );
      console.log(
        `  same path joined and classified in memory, nothing stored: ${joined.spansPerSecond.toFixed(0)} spans/s ` +
          `(${(joined.spansPerSecond / ceiling.spansPerSecond).toFixed(2)}× the ceiling); stored / joined-in-memory = ` +
          `${(stored.spansPerSecond / joined.spansPerSecond).toFixed(2)}× (what durable storage itself costs)`,
      );
      console.log(`  store during the best stored run: ${stored.storeLatency}`);
      reportFigure({
        name: `ingest on DuckDB, OTLP ${format}`,
        value: stored.spansPerSecond,
        unit: 'spans/s',
        baseline: ceiling.spansPerSecond,
        baselineLabel: 'parse-only ceiling (same HTTP path, store keeps nothing)',
        ratio,
        target: { op: '>=', ratio: TARGET_RATIO, value: TARGET_SPANS_PER_SECOND },
        note: `best of ${ROUNDS} runs of ${BATCHES} batches of 100; ratio = median of paired rounds (${sortedRatios[0].toFixed(2)}–${sortedRatios.at(-1)!.toFixed(2)}); joined in memory ${joined.spansPerSecond.toFixed(0)} spans/s`,
      });
    }
  } finally {
    await duckdb.close();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
process.exitCode = failures > 0 ? 1 : 0;
