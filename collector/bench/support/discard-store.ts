import { Quarantine } from '../../src/store/quarantine.js';
import { nowhereFleet } from './nowhere-fleet.js';
import type { Store } from '../../src/store/store.js';

/** The parse-only baseline: accepts every write and keeps nothing, so no connection is ever classified. */
export function discardStore(): Store {
  return {
    kind: 'duckdb',
    quarantine: new Quarantine('nowhere'),
    fleet: nowhereFleet(),
    migrate: async () => {},
    ping: async () => {},
    close: async () => {},
    upsertSides: () => Promise.resolve([]),
    finalize: () => Promise.resolve([]),
    claimExpired: () => Promise.resolve([]),
    countPending: () => Promise.resolve(0),
  } as unknown as Store;
}
