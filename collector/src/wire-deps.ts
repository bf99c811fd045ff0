import { alertTargetPolicy } from './alerts/targets/target-policy.js';
import type { AppDeps, WiredDeps } from './deps.js';
import { PendingConnections } from './join/pending-connections.js';
import { createCollectorMetrics } from './metrics/collector-metrics.js';
import { instrumentStore } from './metrics/instrumented-store.js';

function logToStderr(message: string): void {
  process.stderr.write(`closewatch: ${message}\n`);
}

/** Fills in what deps leave out: metrics, a timed store, the pending-connections cache, a logger and the alert target policy. */
export function wireDeps(deps: AppDeps): WiredDeps {
  const log = deps.log ?? logToStderr;
  const alertTargets = deps.alertTargets ?? alertTargetPolicy(deps.config);
  if (deps.metrics && deps.pending) return { ...deps, metrics: deps.metrics, pending: deps.pending, log, alertTargets };
  const now = () => deps.clock.now();
  const metrics =
    deps.metrics ??
    createCollectorMetrics({
      maxRouteLabels: deps.config.maxRouteLabels,
      maxServiceLabels: deps.config.maxServiceLabels,
      pendingConnections: () => pending.fresh(),
      quarantined: () => deps.store.quarantine.counts(),
    });
  const store = deps.metrics ? deps.store : instrumentStore(deps.store, metrics);
  const pending: PendingConnections = deps.pending ?? new PendingConnections(store, now);
  return { ...deps, store, metrics, pending, log, alertTargets };
}
