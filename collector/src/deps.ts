import type { AlertTargetPolicy } from './alerts/targets/target-policy.js';
import type { Store } from './store/store.js';
import type { CollectorConfig } from './config.js';
import type { CollectorMetrics } from './metrics/collector-metrics.js';
import type { PendingConnections } from './join/pending-connections.js';

/** Time source, injected so joins, retention and alerts can be tested with a fake clock. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** What `createApp(deps)` is built from. Extended by the parts that need more (metrics, alerts). */
export interface AppDeps {
  store: Store;
  clock: Clock;
  config: CollectorConfig;
  /** The collector's metrics; createApp creates them (and times the store) when absent. */
  metrics?: CollectorMetrics;
  /** Cached count of connections waiting for their other side; createApp creates it when absent. */
  pending?: PendingConnections;
  /** Where operational messages go (default: stderr). */
  log?: (message: string) => void;
  /** Where alert notifications may go; wireDeps builds it from the config when absent. */
  alertTargets?: AlertTargetPolicy;
}

/** AppDeps after wiring: what routers mounted by createApp receive. */
export type WiredDeps = AppDeps & Required<Pick<AppDeps, 'metrics' | 'pending' | 'log' | 'alertTargets'>>;
