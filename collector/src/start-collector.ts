import type { Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { AlertEvaluator } from './alerts/evaluator.js';
import { loadRulesFile } from './alerts/rules-file.js';
import { alertTargetPolicy } from './alerts/targets/target-policy.js';
import { attachTestSocket } from './api/test-socket.js';
import { ensureWritableDataDir } from './check-data-dir.js';
import type { CollectorConfig } from './config.js';
import { createApp } from './create-app.js';
import { systemClock, type Clock, type WiredDeps } from './deps.js';
import { exposureWarnings } from './exposure-warnings.js';
import { JoinSweeper } from './join/join-sweeper.js';
import { classifyOptionsFor } from './join/proxy-timeouts.js';
import { RetentionJob } from './jobs/retention-job.js';
import { listen } from './listen.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';
import { StartupError } from './startup-error.js';
import { wireDeps } from './wire-deps.js';

export interface StartOptions {
  clock?: Clock;
  log?: (message: string) => void;
  /** Close cleanly on SIGTERM / SIGINT and exit (the CLI); off for collectors started inside tests. */
  handleSignals?: boolean;
  /** How alert target host names are resolved (default dns.lookup; tests inject their own). */
  lookup?: LookupFunction;
}

export interface RunningCollector {
  /** http://host:port the collector answers on (the real port when 0 was asked). */
  url: string;
  port: number;
  server: Server;
  deps: WiredDeps;
  /** Stops the jobs, closes the server and then the store. */
  close(): Promise<void>;
}

/** Grace for in-flight requests on shutdown before their sockets are cut. */
const SHUTDOWN_GRACE_MS = 5000;

/** The database URL without its password, for messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** Opens (and migrates) the configured store; a failure names the store and the reason. */
async function openConfiguredStore(config: CollectorConfig, log: (message: string) => void): Promise<Store> {
  if (!config.databaseUrl) await ensureWritableDataDir(config.dataDir);
  try {
    return await openStore(config, { log });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    if (config.databaseUrl) {
      throw new StartupError(
        `cannot reach the PostgreSQL database at ${redactDatabaseUrl(config.databaseUrl)} (${reason}); check --database-url and that the server is up`,
      );
    }
    throw new StartupError(`cannot open the DuckDB store in ${config.dataDir} (${(error as Error).message})`);
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise(function closeGracefully(resolve) {
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Opens the store (migrating it), builds the app, listens, and starts the join sweeper, the retention
 * job and the alert evaluator. What `closewatch start` runs, and what multi-instance tests spawn.
 */
export async function startCollector(config: CollectorConfig, options: StartOptions = {}): Promise<RunningCollector> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((message: string) => process.stderr.write(`closewatch: ${message}\n`));
  const alertTargets = alertTargetPolicy(config, options.lookup);
  const store = await openConfiguredStore(config, log);
  if (config.alertsFile) {
    try {
      const count = await loadRulesFile(store, config.alertsFile, clock.now(), alertTargets);
      log(`loaded ${count} alert rule(s) from ${config.alertsFile}`);
    } catch (error) {
      await store.close().catch(() => {});
      throw new StartupError(`cannot load the alerts file: ${(error as Error).message}`);
    }
  }
  const deps = wireDeps({ store, clock, config, log, alertTargets });
  const now = () => clock.now();
  let server: Server;
  try {
    server = await listen(createApp(deps), config.host, config.port);
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  const reportJobError = (job: string) => (error: unknown) => log(`${job} failed: ${(error as Error).message}`);
  const sweeper = new JoinSweeper(
    {
      store: deps.store,
      metrics: deps.metrics,
      now,
      classifyOptions: classifyOptionsFor(config.proxyTimeouts, { minConnections: config.massDropMinConnections, windowMs: config.massDropWindowMs }),
    },
    { intervalMs: config.sweepIntervalMs, onError: reportJobError('join sweeper') },
  );
  const retention = new RetentionJob(deps.store, {
    retentionDays: config.retentionDays,
    intervalMs: config.retentionIntervalMs,
    now,
    onError: reportJobError('retention job'),
  });
  attachTestSocket(server, { ingestKey: config.ingestKeys[0] ?? null });
  const alerts = new AlertEvaluator({
    store: deps.store,
    clock,
    publicUrl: config.publicUrl,
    intervalMs: config.alertIntervalMs,
    targetPolicy: alertTargets,
    onError: reportJobError('alert evaluation'),
    onFiringChange(rule, isFiring) {
      deps.metrics.alertsFiring.set({ rule: deps.metrics.labelCaps.rule.value(rule.id) }, isFiring ? 1 : 0);
    },
    onLeadership(isLeader) {
      deps.metrics.alertsLeader.set(isLeader ? 1 : 0);
      // Only the leader's firing gauges are current; a former leader's would linger in sum/max over instances.
      if (!isLeader) deps.metrics.alertsFiring.reset();
    },
  });
  sweeper.start();
  retention.start();
  alerts.start();

  const port = (server.address() as AddressInfo).port;
  for (const warning of exposureWarnings(config, port)) log(`warning: ${warning}`);
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | null = null;
  function close(): Promise<void> {
    closing ??= (async () => {
      await Promise.all([sweeper.stop(), retention.stop(), alerts.stop()]);
      await closeServer(server);
      await store.close();
    })();
    return closing;
  }
  if (options.handleSignals) {
    const onSignal = (signal: NodeJS.Signals) => {
      log(`${signal} received, shutting down`);
      close().then(
        () => process.exit(0),
        (error: unknown) => {
          log(`shutdown failed: ${(error as Error).message}`);
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { url: `http://${host}:${port}`, port, server, deps, close };
}
