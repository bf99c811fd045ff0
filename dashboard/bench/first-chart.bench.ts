// Dashboard benchmarks: bundle size (gzip) against its budget, and time to the first chart on a store
// with many connections as a ratio to the Overview's API calls alone, both measured in the same Chromium.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { launchChromium, makeTempDir, quickOr, reportFigure } from '@closewatch/test/harness';
import { DEFAULT_CONFIG } from '../../collector/src/config.js';
import { createApp } from '../../collector/src/create-app.js';
import { openStore } from '../../collector/src/store/open-store.js';
import { DUCKDB_FILE_NAME } from '../../collector/src/store/duckdb/open-duckdb.js';

const BUNDLE_BUDGET_BYTES = 120 * 1024;
const RATIO_TARGET = 1.5;
const ROWS = Number(process.env.CLOSEWATCH_BENCH_ROWS ?? quickOr(200_000, 10_000_000));
const RUNS = Number(process.env.CLOSEWATCH_BENCH_RUNS ?? quickOr(3, 7));
const RANGE_DAYS = 14;
const NOW = Date.now();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function bundleSize(): void {
  const dist = new URL('../dist/', import.meta.url);
  const files = ['prefetch.js', 'app.js', 'app.css', 'index.html'];
  let total = 0;
  for (const file of files) {
    const gz = gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length;
    total += gz;
    console.log(`  ${file.padEnd(12)} ${(gz / 1024).toFixed(1)} KB gzip`);
  }
  console.log(
    `bundle: ${(total / 1024).toFixed(1)} KB gzip of ${BUNDLE_BUDGET_BYTES / 1024} KB budget (ratio ${(total / BUNDLE_BUDGET_BYTES).toFixed(2)}, target ≤ 1.00)`,
  );
  reportFigure({
    name: 'dashboard bundle, gzip',
    value: total,
    unit: 'bytes',
    baseline: BUNDLE_BUDGET_BYTES,
    baselineLabel: 'budget',
    ratio: total / BUNDLE_BUDGET_BYTES,
    target: { op: '<=', ratio: 1 },
    note: files.join(', '),
  });
}

/** Fills the connections table with SQL (far faster than the ingest path): 21 causes, 40 routes, 8 services over 14 days. */
async function generateRows(dataDir: string): Promise<void> {
  const store = await openStore({ dataDir, databaseUrl: null });
  await store.close();
  const instance = await DuckDBInstance.create(`${dataDir}/${DUCKDB_FILE_NAME}`);
  const connection = await instance.connect();
  const span = RANGE_DAYS * 86_400_000;
  const started = Date.now();
  await connection.run(`
    INSERT INTO connections (id, trace_id, is_final, finalized_at_ms, updated_at_ms, cause, evidence, service, route, code, reason,
                             phase, observed_by, start_time_ms, end_time_ms, handshake_ms, open_ms)
    SELECT printf('%032x-%016x', i, i), printf('%032x', i), true, e, e,
           (['intermediary_timeout','normal_closure','client_offline','server_terminated','handshake_auth_rejected','page_unload',
             'client_suspended','server_shutdown','connection_lost','unknown','application_close'])[1 + (i * 7) % 11],
           '[]', 'svc-' || (i % 8), '/route/' || (i % 40) || '/:id',
           CASE WHEN i % 10 < 4 THEN 1006 WHEN i % 10 < 8 THEN 1000 ELSE 4000 + i % 5 END,
           '', (['handshake','open','open','open','closing'])[1 + i % 5], (['both','client','server'])[1 + i % 3],
           e - 60000, e, 40 + i % 300, 60000
    FROM (SELECT i, ${NOW} - ${span} + (i * ${span} // ${ROWS}) AS e FROM range(${ROWS}) t(i))`);
  connection.closeSync();
  instance.closeSync();
  console.log(`generated ${ROWS.toLocaleString('en-US')} connections in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** CLOSEWATCH_BENCH_DATA_DIR keeps the generated store between runs (generating 10M rows takes minutes). */
function benchDataDir(): { path: string; fresh: boolean; remove(): Promise<void> } {
  const kept = process.env.CLOSEWATCH_BENCH_DATA_DIR;
  if (kept) return { path: kept, fresh: !existsSync(`${kept}/${DUCKDB_FILE_NAME}`), remove: () => Promise.resolve() };
  return { ...makeTempDir('bench-dashboard'), fresh: true };
}

async function timeToFirstChart(): Promise<void> {
  const dir = benchDataDir();
  const browser = await launchChromium();
  let server: import('node:http').Server | undefined;
  let store: Awaited<ReturnType<typeof openStore>> | undefined;
  try {
    if (dir.fresh) await generateRows(dir.path);
    const config = { ...DEFAULT_CONFIG, dataDir: dir.path, databaseUrl: null };
    store = await openStore(config);
    const app = createApp({ store, clock: { now: () => Date.now() }, config, log: () => undefined });
    server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${url}/#/setup`);

    // Two views: the default (last 24 h) and the whole retention (14 days: every stored row).
    for (const range of ['', 'from=now-14d']) {
      const query = range === '' ? '' : `?${range}`;
      // Baseline: the requests the Overview makes, issued in parallel from an already loaded page.
      const apiAlone = async (): Promise<number> =>
        page.evaluate(async (q) => {
          const t0 = performance.now();
          await Promise.all([`/api/v1/summary${q}`, `/api/v1/timeseries${q}`, '/api/v1/causes'].map((p) => fetch(p).then((r) => r.json())));
          return performance.now() - t0;
        }, query);
      // Dashboard: a full page load of the Overview until its first chart is drawn (navigation start = 0).
      const firstChart = async (): Promise<number> => {
        await page.goto(`${url}/?run=${Math.random()}#/overview${query}`);
        await page.waitForFunction(() => performance.getEntriesByName('closewatch:chart-drawn').length > 0, null, { timeout: 120_000 });
        if (process.env.CLOSEWATCH_BENCH_DEBUG) {
          console.log(
            await page.evaluate(() =>
              performance
                .getEntriesByType('resource')
                .map((e) => `${e.name.replace(location.origin, '')} ${e.startTime.toFixed(0)}→${(e as PerformanceResourceTiming).responseEnd.toFixed(0)}`)
                .join('\n'),
            ),
          );
        }
        return page.evaluate(() => performance.getEntriesByName('closewatch:chart-drawn')[0].startTime);
      };
      await apiAlone();
      await firstChart();
      const api: number[] = [];
      const chart: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        api.push(await apiAlone());
        chart.push(await firstChart());
      }
      const label = range === '' ? 'last 24 h (default view)' : 'last 14 days (all rows)';
      console.log(`\nOverview, ${label}, ${ROWS.toLocaleString('en-US')} stored connections, median of ${RUNS} runs:`);
      console.log(`  API alone (summary + timeseries + causes in parallel): ${median(api).toFixed(0)} ms`);
      console.log(`  first chart drawn after a full page load:             ${median(chart).toFixed(0)} ms`);
      console.log(`  time to first chart / API alone: ${(median(chart) / median(api)).toFixed(2)} (target ≤ ${RATIO_TARGET})`);
      reportFigure({
        name: `dashboard first chart, Overview ${label}, ${ROWS.toLocaleString('en-US')} connections`,
        value: median(chart),
        unit: 'ms',
        baseline: median(api),
        baselineLabel: "the Overview's API calls alone",
        ratio: median(chart) / median(api),
        target: { op: '<=', ratio: RATIO_TARGET },
        note: `median of ${RUNS} runs`,
      });
    }
    await context.close();
  } finally {
    await browser.close();
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
    await store?.close();
    await dir.remove();
  }
}

bundleSize();
await timeToFirstChart();
