import type { Store } from './store/store.js';
import type { CollectorConfig } from './config.js';

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
}
