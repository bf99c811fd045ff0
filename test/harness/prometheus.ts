import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runOnce, type CleanupScope } from './cleanup.js';
import { freePort } from './free-port.js';
import { spawnManaged, type ManagedProcess } from './managed-process.js';
import { makeTempDir } from './temp-dir.js';
import { StopWaiting, waitFor } from './wait-for.js';

export const prometheusPath = process.env.CLOSEWATCH_PROMETHEUS ?? '/usr/bin/prometheus';

export interface PrometheusOptions {
  /** host:port of each /metrics endpoint to scrape. */
  scrapeTargets: string[];
  /** Default /metrics. */
  metricsPath?: string;
  /** Scrape and rule evaluation interval. Default '1s'. */
  scrapeInterval?: string;
  /** Absolute paths of rule files to load. */
  ruleFiles?: string[];
  /** e.g. http://127.0.0.1:9093 — alerts are sent there. */
  alertmanagerUrl?: string;
  t?: CleanupScope;
}

/** One element of an instant-query vector, value parsed to a number. */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
  /** Unix seconds. */
  timestamp: number;
}

export interface PrometheusHandle {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** The temp dir holding prometheus.yml and the TSDB; removed by close(). */
  dir: string;
  /** Runs an instant query; throws on a query error or a non-vector result. */
  query(expr: string): Promise<PromSample[]>;
  /** Polls `expr` until the vector is non-empty and `predicate` (if any) accepts it; returns it. */
  waitForSeries(expr: string, predicate?: (samples: PromSample[]) => boolean, timeoutMs?: number): Promise<PromSample[]>;
  /** Prometheus's own log so far. */
  logs(): string;
  close(): Promise<void>;
}

function yamlList(items: string[]): string {
  return `[${items.map((item) => JSON.stringify(item)).join(', ')}]`;
}

/** prometheus.yml for the given targets; JSON strings are valid YAML scalars, so values are JSON-quoted. */
export function prometheusConfig(options: PrometheusOptions): string {
  const interval = options.scrapeInterval ?? '1s';
  const lines = [
    'global:',
    `  scrape_interval: ${JSON.stringify(interval)}`,
    `  evaluation_interval: ${JSON.stringify(interval)}`,
    'scrape_configs:',
    '  - job_name: "closewatch"',
    `    metrics_path: ${JSON.stringify(options.metricsPath ?? '/metrics')}`,
    `    static_configs: [{ targets: ${yamlList(options.scrapeTargets)} }]`,
  ];
  if (options.ruleFiles?.length) lines.push(`rule_files: ${yamlList(options.ruleFiles)}`);
  if (options.alertmanagerUrl) {
    const alertmanager = new URL(options.alertmanagerUrl);
    lines.push(
      'alerting:',
      '  alertmanagers:',
      `    - scheme: ${JSON.stringify(alertmanager.protocol.replace(':', ''))}`,
      `      path_prefix: ${JSON.stringify(alertmanager.pathname)}`,
      `      static_configs: [{ targets: ${yamlList([alertmanager.host])} }]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

interface QueryResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

/** Spawns Prometheus on a free port and waits until /-/ready answers; throws with its log if it dies first. */
async function launchPrometheus(dataDir: string, configPath: string): Promise<{ prometheus: ManagedProcess; port: number }> {
  const port = await freePort();
  const prometheus = spawnManaged(prometheusPath, [
    `--config.file=${configPath}`,
    `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-lifecycle',
    // The first notification goes nowhere until Alertmanager is discovered (~5 s), so resend soon instead of after 1 m.
    '--rules.alert.resend-delay=1s',
    '--log.level=warn',
  ]);
  async function prometheusIsReady(): Promise<boolean> {
    if (!prometheus.isRunning()) throw new StopWaiting(`prometheus exited: ${prometheus.stderr().slice(-2000)}`);
    const response = await fetch(`http://127.0.0.1:${port}/-/ready`);
    return response.ok;
  }
  try {
    await waitFor(prometheusIsReady, { timeoutMs: 30_000, intervalMs: 100, message: 'prometheus ready' });
    return { prometheus, port };
  } catch (error) {
    await prometheus.stop('SIGKILL');
    throw error;
  }
}

/**
 * A real Prometheus server scraping the given targets, with its TSDB in a temp dir.
 * Prometheus 2.42 applies scrape targets on a 5 s tick, so the first sample lands ~5 s after start.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusHandle> {
  const dir = makeTempDir('prometheus');
  const configPath = join(dir.path, 'prometheus.yml');
  await writeFile(configPath, prometheusConfig(options));
  let launched: { prometheus: ManagedProcess; port: number } | undefined;
  // Another process may take the probed free port before Prometheus binds it, so retry on a fresh port.
  for (let attempt = 1; !launched; attempt++) {
    try {
      launched = await launchPrometheus(join(dir.path, 'data'), configPath);
    } catch (error) {
      if (attempt < 3 && /address already in use/.test((error as Error).message)) continue;
      await dir.remove();
      throw error;
    }
  }
  const { prometheus, port } = launched;
  const url = `http://127.0.0.1:${port}`;
  const close = runOnce(async function closePrometheus() {
    await prometheus.stop('SIGTERM', 5000);
    await dir.remove();
  });
  options.t?.after(close);

  async function query(expr: string): Promise<PromSample[]> {
    const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expr })}`);
    const body = (await response.json()) as QueryResponse;
    if (body.status !== 'success' || !body.data) throw new Error(`prometheus query ${expr} failed: ${body.error ?? response.status}`);
    if (body.data.resultType !== 'vector') throw new Error(`prometheus query ${expr} returned ${body.data.resultType}, not a vector`);
    return body.data.result.map(({ metric, value }) => ({ metric, value: Number(value[1]), timestamp: value[0] }));
  }

  async function waitForSeries(expr: string, predicate: (samples: PromSample[]) => boolean = () => true, timeoutMs = 20_000): Promise<PromSample[]> {
    return waitFor(
      async () => {
        const samples = await query(expr);
        return samples.length > 0 && predicate(samples) ? samples : undefined;
      },
      { timeoutMs, intervalMs: 250, message: `prometheus series for ${expr}` },
    );
  }

  return { url, port, dir: dir.path, query, waitForSeries, logs: () => prometheus.stderr(), close };
}
