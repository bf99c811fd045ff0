// Times summary/timeseries over N stored final connections on DuckDB against the 250 ms p95 target.
// CLOSEWATCH_BENCH_ROWS (default 10M) sets N; CLOSEWATCH_BENCH_RUNS (default 20) the timed runs per query.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { quickOr, reportFigure } from '@closewatch/test/harness';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { CloseFilter } from '../src/store/store.js';
import { generateConnectionsSql } from './query-data.js';
import { percentile } from './query-stats.js';

const TARGET_P95_MS = 250;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const rows = Number(process.env.CLOSEWATCH_BENCH_ROWS ?? quickOr(500_000, 10_000_000));
const runs = Number(process.env.CLOSEWATCH_BENCH_RUNS ?? quickOr(5, 20));
const endMs = Date.UTC(2026, 10, 1);
const spanMs = 14 * DAY;

/** Wall-clock samples, plus the mean process CPU time per run (all DuckDB threads), which other load does not inflate. */
async function time(fn: () => Promise<unknown>): Promise<number[] & { cpuMs?: number }> {
  for (let i = 0; i < 2; i++) await fn();
  const samples: number[] & { cpuMs?: number } = [];
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuStart);
  samples.cpuMs = (cpu.user + cpu.system) / 1000 / runs;
  return samples;
}

const dataDir = mkdtempSync(join(tmpdir(), 'closewatch-query-bench-'));
try {
  const schema = await DuckDbStore.open(dataDir);
  await schema.migrate();
  await schema.close();

  const instance = await DuckDBInstance.create(join(dataDir, 'closewatch.duckdb'));
  const connection = await instance.connect();
  const start = performance.now();
  await connection.run(generateConnectionsSql(rows, endMs - spanMs, spanMs));
  await connection.run('CHECKPOINT');
  console.log(`generated ${rows.toLocaleString('en')} final connections over 14 days in ${((performance.now() - start) / 1000).toFixed(1)} s`);

  const ranges = { '24h': { fromMs: endMs - DAY, toMs: endMs }, '7d': { fromMs: endMs - 7 * DAY, toMs: endMs } };
  const baselines: Record<string, number> = {};
  for (const [name, range] of Object.entries(ranges)) {
    const sql = `SELECT count(*) FROM connections WHERE is_final AND end_time_ms >= ${range.fromMs} AND end_time_ms < ${range.toMs}`;
    baselines[name] = percentile(await time(() => connection.runAndReadAll(sql)), 95);
  }
  connection.closeSync();
  instance.closeSync();

  const store = await DuckDbStore.open(dataDir);
  const filtered: Partial<CloseFilter> = { service: 'svc-3', side: 'client' };
  const queries: Array<[string, keyof typeof ranges, (f: CloseFilter) => Promise<unknown>, Partial<CloseFilter>]> = [
    ['summary', '24h', (f) => store.summary(f), {}],
    ['summary service+side', '24h', (f) => store.summary(f), filtered],
    ['summary', '7d', (f) => store.summary(f), {}],
    ['summary service+side', '7d', (f) => store.summary(f), filtered],
    ['summary cause', '7d', (f) => store.summary(f), { cause: 'client_offline' }],
    ['timeseries 5m', '24h', (f) => store.timeseries(f, 5 * 60_000), {}],
    ['timeseries 5m service+side', '24h', (f) => store.timeseries(f, 5 * 60_000), filtered],
    ['timeseries 1h', '7d', (f) => store.timeseries(f, HOUR), {}],
    ['timeseries 1h service+side', '7d', (f) => store.timeseries(f, HOUR), filtered],
  ];
  console.log(`\n${runs} timed runs each (after 2 warm-up runs); baseline = bare SELECT count(*) over the same range`);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at start (timings scale with contention; the baseline ratio less so)`);
  console.log('query                              range   p50 ms   p95 ms   p95/250ms   p95/baseline   CPU ms/query');
  let worst = 0;
  for (const [name, rangeName, run, extra] of queries) {
    const samples = await time(() => run({ ...ranges[rangeName], ...extra }));
    const p95 = percentile(samples, 95);
    worst = Math.max(worst, p95 / TARGET_P95_MS);
    console.log(
      `${name.padEnd(34)} ${rangeName.padEnd(5)} ${percentile(samples, 50).toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${(p95 / TARGET_P95_MS).toFixed(2).padStart(11)} ${(p95 / baselines[rangeName]).toFixed(1).padStart(14)} ${(samples.cpuMs ?? 0).toFixed(1).padStart(14)}`,
    );
    reportFigure({
      name: `query p95 over ${rows.toLocaleString('en-US')} rows: ${name}, ${rangeName}`,
      value: p95,
      unit: 'ms',
      baseline: baselines[rangeName],
      baselineLabel: 'bare SELECT count(*) over the range',
      ratio: p95 / baselines[rangeName],
      target: { op: '<=', value: TARGET_P95_MS },
      note: `p50 ${percentile(samples, 50).toFixed(1)} ms, ${runs} runs`,
    });
  }
  console.log(`baseline count(*) p95: 24h ${baselines['24h'].toFixed(1)} ms, 7d ${baselines['7d'].toFixed(1)} ms`);
  console.log(`worst p95 / target: ${worst.toFixed(2)} (≤ 1.00 meets the 250 ms target)`);
  await store.close();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
