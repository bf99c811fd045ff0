import { mergeMassDrop, mergeSighting, sightingKey, type AbruptEnd, type AgentSighting, type Fleet, type MassDropEvent } from './fleet-store.js';

/** Abrupt ends kept at most; the oldest go first (a drop is classified within the join window). */
const MAX_ABRUPT_ENDS = 200_000;

/**
 * The fleet in memory, for a store one process owns (DuckDB) and for tests. `onAgents` / `onMassDrops`
 * let the owner persist the merged rows.
 */
export class MemoryFleet implements Fleet {
  readonly #agents = new Map<string, AgentSighting>();
  /** In arrival order; ends arrive in roughly end-time order. */
  #ends: AbruptEnd[] = [];
  /** `connectionId side` of the ends kept: a side written again (a retried export) counts once. */
  readonly #endKeys = new Set<string>();
  readonly #drops = new Map<string, MassDropEvent>();

  /** Loads rows persisted earlier (no merge callbacks). */
  load(agents: AgentSighting[], drops: MassDropEvent[]): void {
    for (const agent of agents) this.#agents.set(sightingKey(agent), agent);
    for (const drop of drops) this.#drops.set(drop.id, drop);
  }

  /** The merged rows of these sightings, as they stand now. */
  mergeAgents(sightings: AgentSighting[]): AgentSighting[] {
    const merged = new Map<string, AgentSighting>();
    for (const sighting of sightings) {
      const key = sightingKey(sighting);
      const known = this.#agents.get(key);
      const next = known ? mergeSighting(known, sighting) : sighting;
      this.#agents.set(key, next);
      merged.set(key, next);
    }
    return [...merged.values()];
  }

  mergeDrops(drops: MassDropEvent[]): MassDropEvent[] {
    return drops.map((drop) => {
      const known = this.#drops.get(drop.id);
      const next = known ? mergeMassDrop(known, drop) : drop;
      this.#drops.set(drop.id, next);
      return next;
    });
  }

  recordAgents(sightings: AgentSighting[]): Promise<void> {
    this.mergeAgents(sightings);
    return Promise.resolve();
  }

  listAgents(): Promise<AgentSighting[]> {
    return Promise.resolve([...this.#agents.values()]);
  }

  recordAbruptEnds(ends: AbruptEnd[]): Promise<void> {
    for (const end of ends) {
      const key = `${end.connectionId} ${end.side}`;
      if (this.#endKeys.has(key)) continue;
      this.#endKeys.add(key);
      this.#ends.push(end);
    }
    if (this.#ends.length > MAX_ABRUPT_ENDS) this.#keepEnds(this.#ends.slice(this.#ends.length - MAX_ABRUPT_ENDS));
    return Promise.resolve();
  }

  #keepEnds(ends: AbruptEnd[]): void {
    for (const end of this.#ends) this.#endKeys.delete(`${end.connectionId} ${end.side}`);
    this.#ends = ends;
    for (const end of ends) this.#endKeys.add(`${end.connectionId} ${end.side}`);
  }

  abruptEnds(fromMs: number, toMs: number, limit: number): Promise<AbruptEnd[]> {
    const found: AbruptEnd[] = [];
    for (const end of this.#ends) {
      if (end.endTimeMs < fromMs || end.endTimeMs > toMs) continue;
      found.push(end);
      if (found.length >= limit) break;
    }
    return Promise.resolve(found);
  }

  recordMassDrops(drops: MassDropEvent[]): Promise<void> {
    this.mergeDrops(drops);
    return Promise.resolve();
  }

  listMassDrops(fromMs: number, toMs: number): Promise<MassDropEvent[]> {
    return Promise.resolve(
      [...this.#drops.values()].filter((drop) => drop.lastEndMs >= fromMs && drop.firstEndMs <= toMs).sort((a, b) => a.firstEndMs - b.firstEndMs),
    );
  }

  deleteOlderThan(cutoffMs: number): Promise<void> {
    this.#keepEnds(this.#ends.filter((end) => end.endTimeMs >= cutoffMs));
    for (const [key, agent] of this.#agents) if (agent.lastSeenMs < cutoffMs) this.#agents.delete(key);
    for (const [id, drop] of this.#drops) if (drop.lastEndMs < cutoffMs) this.#drops.delete(id);
    return Promise.resolve();
  }
}
