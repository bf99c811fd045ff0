// Collector RSS while ingesting 1M websocket.connection spans (batches of 100, OTLP/JSON) into DuckDB:
// the collector runs as its own process (`closewatch start`), its VmRSS sampled from /proc every 250 ms.
//
// Where the memory went (2 cores, 2026-11-25; `duckdb_memory()`, file/WAL sizes, JS heap and /proc/self/smaps
// sampled each second inside the collector):
// - DuckDB's default memory_limit (80% of RAM): the buffer pool (`BASE_TABLE`) grew with the file (~100 MB
//   at 300k spans) and each checkpoint (every 16 MB of WAL) held ~120 MB of `IN_MEMORY_TABLE` (an uncompressed
//   side-log row group of ~1 KB spans); RSS peaked at checkpoints. 1M spans: 1,117–1,326 MB. The `connections`
//   id index (`ART_INDEX`) was only 11 MB at 300k, 40 MB at 1M; dropping it raised the peak (752 MB at 300k).
// - memory_limit 128MB (the embedded default since): 1M spans 545–580 MB, 300k 508–541 MB; DuckDB's own
//   memory stays ≤ ~130 MB (64MB caps the checkpoint at 60 MB: 473 MB at 300k).
// - No measurable effect at 300k (within the ±30 MB run-to-run noise): threads 1 (508), checkpoint_threshold
//   4MB (more checkpoints, same spike: 533–572), write_buffer_row_group_count 1, jemalloc flush thresholds
//   (allocator_flush_threshold 8MB, allocator_bulk_deallocation_flush_threshold 16MB, background threads).
// - What is left is neither DuckDB's buffer pool nor the JS heap (heapTotal ~110–130 MB): at a 539 MB peak,
//   one anonymous 543 MB mapping held 201 MB (mappings under 8 MB, mostly the JS heap, 140 MB) while duckdb_memory() reported
//   34 MB. Not V8 (a plain node process with 416 MB of heap maps it as many mappings, none over 8 MB RSS).
//   Likely allocator retention (DuckDB's bundled jemalloc and glibc arenas of the DuckDB/libuv threads;
//   MALLOC_ARENA_MAX=2 took ~20–30 MB off the peak here, and must be set before the process starts).
// - Since 2026-11-25 sides and final rows are durable in journal files and DuckDB holds only final rows:
//   peak 362–486 MB (128MB limit; higher the faster the ingest: 3.5k spans/s → 378, 14k → 402–438,
//   21k → 486).
//   Sampled /proc/self/smaps at the peak: ~120 MB in V8 heap pages (256 KB mappings; heap used ~80 of
//   ~108 total), ~100–150 MB in larger anonymous mappings (DuckDB's allocator and thread arenas),
//   ~80 MB file-backed (node, libduckdb.so) plus ~20–40 MB glibc [heap]. No effect beyond noise:
//   MALLOC_ARENA_MAX=2 (438), --max-semi-space-size=2 or 4 (397, 402), pooled journal buffers.
//   memory_limit 64MB makes DuckDB's bulk loads of final rows fail (out of memory).
// - Later on 2026-11-25 (sampled every 500 ms: /proc/self/smaps by mapping kind, v8.getHeapSpaceStatistics(),
//   duckdb_memory(); peak at 1M spans, ~17–27k spans/s, load average 2–4 from other work on the machine):
//   a heap snapshot mid-ingest held only ~42 MB live (20 MB strings: final lines waiting to load), yet
//   V8's old space grew to 85–130 MB between full GCs (V8 grows the limit up to 4x when GC is cheap)
//   plus 32 MB of new space. `closewatch start` now caps that growth at 30% (`src/heap-growth.ts`,
//   the flag is read at every full GC): V8's pages 116–162 → 64–71 MB, for ~0–4% more collector CPU
//   (71.3 s without, 71.8–73.9 s with, per 1M spans, all threads). DuckDB's allocator kept ~145 MB of
//   large anonymous mappings; `allocator_flush_threshold` 4MB: 95–154 MB (it varies run to run).
//   Peak now 314–343 MB: ~78 MB file-backed (node, libduckdb.so), ~10–18 glibc [heap], 64–71 V8
//   pages, 27–43 other small mappings (large objects, buffers, stacks), 118–154 DuckDB. Inside
//   DuckDB at the end: ART_INDEX (the `id` index) 44 MB and growing with the table, IN_MEMORY_TABLE
//   (rows not yet checkpointed) 20–40, BASE_TABLE 10–20, transient ALLOCATOR up to 40.
//   The index on `id_key` (migration 6, ~40 instead of ~95 bytes a row): peak 319–334 MB, no change
//   beyond noise (DuckDB's large mappings 120–134 MB), but collector CPU per 1M spans 58–61 s (was 71–79).
//   Without the probe, before migration 6: 317 MB (16.5k spans/s, load 2.5–2.9), 321 MB (20.8k, load 2.1–2.5);
//   after it: 326 MB (21.7k, load 1.3–1.8). memory_limit 96MB (CLOSEWATCH_DUCKDB_MEMORY_LIMIT, one run): 303 MB
//   at 18.9k spans/s, every request 200, DuckDB's large mappings 109 MB; not made the default (not measured
//   with 10M rows: the query bench and ingest into a large table). 64MB still fails loads: 3,194 of 10,000
//   requests answered 503, 3.3k spans/s.
//   No gain: checkpoint_threshold 4MB (339 MB, +10% CPU), 1,024 instead of 8,192 final rows per load
//   statement (387 vs 397 at 600k, noise), --semi-space-growth-factor=1 (new space stays 2 MB: 270 MB
//   but ingest fell to 8k spans/s).
//   Young generation capped with NODE_OPTIONS=--max-semi-space-size (load generator too; one run each,
//   load 1.6–2.5): none 322/322 MB at 22.1k/21.9k spans/s, 8 MB 299/313 at 20.1k/18.0k, 4 MB 299 at 17.0k,
//   8 MB + memory_limit 96MB 294 at 18.1k. The budget only at its edge, for 10–20% of the throughput; and
//   only the command line or NODE_OPTIONS can set it (v8.setFlagsFromString after startup leaves new
//   space at 32 MB), so not adopted.
// - 2026-11-25, later (quiet machine, load < 1): 309–332 MB before the changes below; sampled smaps at the
//   peak: 130–152 MB DuckDB's large mappings, 41 node and 32 libduckdb.so file-backed, 54 V8 pages (32 of
//   them the young generation), ~21 glibc [heap], ~16 other.
//   1. An ingest request's async part no longer holds the decoded OTLP request, and final rows waiting to
//      load are UTF-8 buffers outside the JS heap (`unloaded-finals.ts`): 309–316 MB.
//   2. `closewatch start` loads only its store's module (not `pg`, the demo, the probe): 133 → 118 MB at
//      start, no change at the peak (309–312).
//   3. `closewatch start` steers V8's young generation to 8 MB through `--semi-space-growth-factor`, which
//      V8 reads at every growth (`src/heap-growth.ts`; the command-line flag is not needed): peaks 303, 285,
//      297, 285, 291, 295, 296 MB (median 295) at 35–40k spans/s. With 16 MB: 301. What varies run to run
//      is DuckDB's large mappings (128–152 MB). Neither DuckDB threads=1 (294, 279) nor
//      allocator_background_threads (291, 298) moved it beyond that noise; memory_limit 64MB still fails loads.
//   4. Final rows loaded 4,096 at a time (every 4,096 waiting rows or 500 ms) instead of 8,192: 266, 281,
//      276, 274, 267 MB at 37–41k spans/s (8,192 in the same session: 285–304, 304 in a full `npm run bench`).
//      2,048: 285, 273, 270 (no further gain). Ingest throughput unchanged (`ingest.bench.ts` 0.40x / 0.32x).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quickOr, reportFigure } from '@closewatch/test/harness';
import { runLoad } from './support/run-load.js';

const SPANS = Number(process.env.CLOSEWATCH_BENCH_MEMORY_SPANS ?? quickOr(50_000, 1_000_000));
const LIMIT_MB = 300;
const bin = fileURLToPath(new URL('../bin/closewatch.js', import.meta.url));

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const dataDir = mkdtempSync(join(tmpdir(), 'closewatch-bench-memory-'));
const port = await freePort();
const child = spawn(process.execPath, [bin, 'start', '--port', String(port), '--data-dir', join(dataDir, 'data')], {
  stdio: ['ignore', 'ignore', 'pipe'],
  env: { ...process.env, CLOSEWATCH_RATE_LIMIT_PER_SECOND: '0', CLOSEWATCH_MAX_IN_FLIGHT_REQUESTS: '1000' },
});
let peakMb = 0;
let sampler: NodeJS.Timeout | undefined;
try {
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`collector exited with ${code}: ${output}`)));
  });
  const startMb = rssMb(child.pid!);
  sampler = setInterval(() => {
    peakMb = Math.max(peakMb, rssMb(child.pid!));
  }, 250);
  const result = await runLoad({ url: `http://127.0.0.1:${port}`, format: 'json', batches: Math.ceil(SPANS / 100), pregenerate: false });
  peakMb = Math.max(peakMb, rssMb(child.pid!));
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const heapMb = Number(/^closewatch_nodejs_heap_size_used_bytes (\S+)$/m.exec(metrics)?.[1] ?? 0) / 1024 / 1024;
  const externalMb = Number(/^closewatch_nodejs_external_memory_bytes (\S+)$/m.exec(metrics)?.[1] ?? 0) / 1024 / 1024;
  console.log(`at the end: JS heap used ${heapMb.toFixed(0)} MB, external ${externalMb.toFixed(0)} MB, RSS ${rssMb(child.pid!).toFixed(0)} MB`);
  const ok = peakMb <= LIMIT_MB;
  console.log(
    `collector RSS: ${startMb.toFixed(0)} MB at start, peak ${peakMb.toFixed(0)} MB while ingesting ${result.spans} spans ` +
      `(${result.spansPerSecond.toFixed(0)} spans/s, statuses ${JSON.stringify(result.statuses)}) → ` +
      `${(peakMb / LIMIT_MB).toFixed(2)}× the ${LIMIT_MB} MB budget (${ok ? 'met' : 'NOT met'})`,
  );
  reportFigure({
    name: `collector peak RSS while ingesting ${result.spans.toLocaleString('en-US')} spans into DuckDB`,
    value: peakMb,
    unit: 'MB',
    baseline: LIMIT_MB,
    baselineLabel: 'budget',
    ratio: peakMb / LIMIT_MB,
    target: { op: '<=', ratio: 1 },
    note: `${startMb.toFixed(0)} MB at start, ${result.spansPerSecond.toFixed(0)} spans/s`,
  });
  process.exitCode = ok ? 0 : 1;
} finally {
  if (sampler) clearInterval(sampler);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
