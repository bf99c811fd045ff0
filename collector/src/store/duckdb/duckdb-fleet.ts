import { AGENT_COLUMNS, MASS_DROP_COLUMNS, agentParams, massDropParams, toAgentSighting, toMassDrop } from '../../fleet/fleet-rows.js';
import type { AgentSighting, MassDropEvent } from '../../fleet/fleet-store.js';
import { MemoryFleet } from '../../fleet/memory-fleet.js';
import type { DuckDbSession } from './duckdb-session.js';

const placeholders = (count: number) => `(${Array.from({ length: count }, () => '?').join(', ')})`;

/**
 * The fleet of the embedded store: one process owns the file, so it lives in memory; agents and mass
 * drops are also written to the file (migration 8) and loaded at start. Abrupt ends are not: a drop is
 * classified within the join window, and pending connections reloaded after a restart are classified
 * without the ends from before it.
 */
export class DuckDbFleet extends MemoryFleet {
  readonly #writer: DuckDbSession;

  constructor(writer: DuckDbSession) {
    super();
    this.#writer = writer;
  }

  async loadFromFile(reader: DuckDbSession): Promise<void> {
    const agents = (await reader.all(`SELECT ${AGENT_COLUMNS} FROM agents`)).map(toAgentSighting);
    const drops = (await reader.all(`SELECT ${MASS_DROP_COLUMNS} FROM mass_drops`)).map(toMassDrop);
    this.load(agents, drops);
  }

  override async recordAgents(sightings: AgentSighting[]): Promise<void> {
    const merged = this.mergeAgents(sightings);
    if (merged.length === 0) return;
    await this.#writer.run(
      `INSERT OR REPLACE INTO agents (${AGENT_COLUMNS}) VALUES ${merged.map(() => placeholders(8)).join(', ')}`,
      merged.flatMap(agentParams),
    );
  }

  override async recordMassDrops(drops: MassDropEvent[]): Promise<void> {
    const merged = [...new Map(this.mergeDrops(drops).map((drop) => [drop.id, drop])).values()];
    if (merged.length === 0) return;
    await this.#writer.run(
      `INSERT OR REPLACE INTO mass_drops (${MASS_DROP_COLUMNS}) VALUES ${merged.map(() => placeholders(12)).join(', ')}`,
      merged.flatMap(massDropParams),
    );
  }

  override async deleteOlderThan(cutoffMs: number): Promise<void> {
    await super.deleteOlderThan(cutoffMs);
    await this.#writer.run('DELETE FROM agents WHERE last_seen_ms < ?', [cutoffMs]);
    await this.#writer.run('DELETE FROM mass_drops WHERE last_end_ms < ?', [cutoffMs]);
  }
}
