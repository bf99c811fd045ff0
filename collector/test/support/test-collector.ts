import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { makeTempDir, type CleanupScope } from '@closewatch/test/harness';
import { DEFAULT_CONFIG, type CollectorConfig } from '../../src/config.js';
import { createApp } from '../../src/create-app.js';
import type { AlertTargetPolicy } from '../../src/alerts/targets/target-policy.js';
import type { Clock, WiredDeps } from '../../src/deps.js';
import { openStore } from '../../src/store/open-store.js';
import { wireDeps } from '../../src/wire-deps.js';

export interface TestCollector {
  url: string;
  deps: WiredDeps;
  /** Closes the server and the store (also run after the test). */
  close(): Promise<void>;
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(public ms: number = Date.now()) {}
  now(): number {
    return this.ms;
  }
}

function listenOnLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * createApp on a real store (a fresh DuckDB file unless `databaseUrl` is given), listening on a
 * loopback port whatever `host` says (a test may set it to act as an exposed collector); closed after the test.
 * `log` hears what the collector and its store log.
 */
export async function startTestCollector(
  t: CleanupScope,
  overrides: Partial<CollectorConfig> = {},
  clock: Clock = { now: () => Date.now() },
  alertTargets?: AlertTargetPolicy,
  log: (message: string) => void = () => {},
): Promise<TestCollector> {
  let dataDir = overrides.dataDir;
  if (!dataDir && !overrides.databaseUrl) {
    const dir = makeTempDir('collector');
    t.after(() => dir.remove());
    dataDir = dir.path;
  }
  const config: CollectorConfig = { ...DEFAULT_CONFIG, rateLimitPerSecond: 0, ...overrides, dataDir: dataDir ?? DEFAULT_CONFIG.dataDir };
  const store = await openStore(config, { log });
  const deps = wireDeps({ store, clock, config, log, ...(alertTargets ? { alertTargets } : {}) });
  const server = createServer(createApp(deps));
  const port = await listenOnLoopback(server);
  let closing: Promise<void> | null = null;
  function close(): Promise<void> {
    closing ??= (async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close().catch(() => {});
    })();
    return closing;
  }
  t.after(close);
  return { url: `http://127.0.0.1:${port}`, deps, close };
}

/** The value of one sample of a counter or gauge of the collector's registry (0 when absent). */
export async function metricValue(deps: WiredDeps, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await deps.metrics.registry.getSingleMetric(name)?.get();
  const sample = metric?.values.find((value) => Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected));
  return sample?.value ?? 0;
}
