import { mergeIncoming } from '../../src/store/merge-incoming.js';
import { Quarantine } from '../../src/store/quarantine.js';
import { nowhereFleet } from './nowhere-fleet.js';
import type { ConnectionRecord, IncomingSide, Store } from '../../src/store/store.js';

/**
 * A bench-only store that joins sides in memory and keeps nothing durable: the ingest path runs whole
 * (join, classification, metrics) with no storage cost, so `stored / this` is what storage costs.
 */
export function memoryJoinStore(): Store {
  const pending = new Map<string, ConnectionRecord>();
  return {
    kind: 'duckdb',
    quarantine: new Quarantine('nowhere'),
    fleet: nowhereFleet(),
    migrate: async () => {},
    ping: async () => {},
    close: async () => {},
    upsertSides(sides: IncomingSide[]) {
      const records = mergeIncoming(sides).map((upsert) => {
        const existing = pending.get(upsert.id);
        const record: ConnectionRecord = {
          id: upsert.id,
          traceId: upsert.traceId,
          client: upsert.client ?? existing?.client ?? null,
          server: upsert.server ?? existing?.server ?? null,
          joinDeadlineMs: upsert.joinDeadlineMs,
          final: false,
          finalizedAtMs: null,
          outcome: null,
        };
        pending.set(upsert.id, record);
        return record;
      });
      return Promise.resolve(records);
    },
    finalize(outcomes: Array<{ id: string }>) {
      const became = outcomes.filter(({ id }) => pending.delete(id)).map(({ id }) => id);
      return Promise.resolve(became.sort());
    },
    updateEvidence: async () => {},
    claimExpired: () => Promise.resolve([]),
    countPending: () => Promise.resolve(pending.size),
  } as unknown as Store;
}
