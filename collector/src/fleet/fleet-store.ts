import type { MassDrop, Side } from '@closewatch/conventions';

/**
 * What the collector knows across connections (docs/design.md "Agents known", "Mass drops"), kept
 * beside the connections in each store: PostgreSQL in tables every instance shares, DuckDB (one
 * process) in memory with the agents and mass drops also in its file.
 */

/** One agent seen on one route: a service instance (server) or a client service, from its spans. */
export interface AgentSighting {
  side: Side;
  service: string;
  /** `service.instance.id`; '' when the agent sent none (browsers). */
  instance: string;
  route: string;
  /** The agent's scope (`@closewatch/agent-node 0.1.0`). */
  scope: string;
  /** When the collector first and last received one of its spans, collector clock. */
  firstSeenMs: number;
  lastSeenMs: number;
  /** Spans received in this sighting (summed in the store). */
  spans: number;
}

/** A side that ended abruptly (sideEndedAbruptly), the unit mass drops are counted in. */
export interface AbruptEnd {
  connectionId: string;
  side: Side;
  /** The side's end on the collector's clock. */
  endTimeMs: number;
  service: string;
  instance: string;
  route: string;
  /** Host and route the client connected to (client sides); '' for server sides. */
  target: string;
}

/** A mass drop as the dashboard and `GET /api/v1/mass-drops` show it (the API's type, in conventions). */
export type MassDropEvent = MassDrop;

export interface Fleet {
  /** Merges sightings: first seen is the earliest, last seen the latest, spans add up. */
  recordAgents(sightings: AgentSighting[]): Promise<void>;
  listAgents(): Promise<AgentSighting[]>;
  recordAbruptEnds(ends: AbruptEnd[]): Promise<void>;
  /** Abrupt ends whose end time is in [fromMs, toMs], at most `limit`. */
  abruptEnds(fromMs: number, toMs: number, limit: number): Promise<AbruptEnd[]>;
  /** Upserts by id: the larger count and the wider span win. */
  recordMassDrops(drops: MassDropEvent[]): Promise<void>;
  /** Mass drops that overlap [fromMs, toMs], oldest first. */
  listMassDrops(fromMs: number, toMs: number): Promise<MassDropEvent[]>;
  /** Retention: abrupt ends and mass drops older than the cutoff, agents not seen since. */
  deleteOlderThan(cutoffMs: number): Promise<void>;
}

/** How many abrupt ends one classification looks at, at most (a drop of more is counted up to this). */
export const MAX_ABRUPT_ENDS_READ = 50_000;

/** The key of one agent sighting. */
export function sightingKey(s: Pick<AgentSighting, 'side' | 'service' | 'instance' | 'route'>): string {
  return `${s.side}\u0000${s.service}\u0000${s.instance}\u0000${s.route}`;
}

export function mergeSighting(into: AgentSighting, from: AgentSighting): AgentSighting {
  return {
    ...into,
    scope: from.lastSeenMs >= into.lastSeenMs ? from.scope : into.scope,
    firstSeenMs: Math.min(into.firstSeenMs, from.firstSeenMs),
    lastSeenMs: Math.max(into.lastSeenMs, from.lastSeenMs),
    spans: into.spans + from.spans,
  };
}

export function mergeMassDrop(into: MassDropEvent, from: MassDropEvent): MassDropEvent {
  return {
    ...into,
    connections: Math.max(into.connections, from.connections),
    firstEndMs: Math.min(into.firstEndMs, from.firstEndMs),
    lastEndMs: Math.max(into.lastEndMs, from.lastEndMs),
    lastSeenMs: from.lastSeenMs ?? into.lastSeenMs,
    detectedAtMs: Math.min(into.detectedAtMs, from.detectedAtMs),
  };
}
