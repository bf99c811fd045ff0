import type { Fleet } from '../../src/fleet/fleet-store.js';

/** A fleet table that keeps nothing: the benches' stores measure ingest, not agent sightings or mass drops. */
export function nowhereFleet(): Fleet {
  return {
    recordAgents: async () => {},
    listAgents: () => Promise.resolve([]),
    recordAbruptEnds: async () => {},
    abruptEnds: () => Promise.resolve([]),
    recordMassDrops: async () => {},
    listMassDrops: () => Promise.resolve([]),
    deleteOlderThan: async () => {},
  };
}
