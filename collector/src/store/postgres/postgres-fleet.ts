import type pg from 'pg';
import { AGENT_COLUMNS, MASS_DROP_COLUMNS, toAbruptEnd, toAgentSighting, toMassDrop } from '../../fleet/fleet-rows.js';
import { mergeSighting, sightingKey, type AbruptEnd, type AgentSighting, type Fleet, type MassDropEvent } from '../../fleet/fleet-store.js';
import { pgText } from './pg-values.js';
import { toStoreError } from './unavailable.js';

/** Sightings of one statement merged by key first: ON CONFLICT cannot touch one row twice. */
function mergedByKey(sightings: AgentSighting[]): AgentSighting[] {
  const merged = new Map<string, AgentSighting>();
  for (const sighting of sightings) {
    const key = sightingKey(sighting);
    const known = merged.get(key);
    merged.set(key, known ? mergeSighting(known, sighting) : sighting);
  }
  return [...merged.values()];
}

function byId(drops: MassDropEvent[]): MassDropEvent[] {
  return [...new Map(drops.map((drop) => [drop.id, drop])).values()];
}

/** The fleet in tables every collector instance on this PostgreSQL shares (migration 5). */
export class PostgresFleet implements Fleet {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async #query(sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
    try {
      return (await this.#pool.query(sql, params)).rows as Array<Record<string, unknown>>;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  async recordAgents(sightings: AgentSighting[]): Promise<void> {
    const rows = mergedByKey(sightings);
    if (rows.length === 0) return;
    await this.#query(
      `INSERT INTO agents (${AGENT_COLUMNS})
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[])
       ON CONFLICT (side, service, instance, route) DO UPDATE SET
         scope = CASE WHEN excluded.last_seen_ms >= agents.last_seen_ms THEN excluded.scope ELSE agents.scope END,
         first_seen_ms = LEAST(agents.first_seen_ms, excluded.first_seen_ms),
         last_seen_ms = GREATEST(agents.last_seen_ms, excluded.last_seen_ms),
         spans = agents.spans + excluded.spans`,
      [
        rows.map((row) => row.side),
        rows.map((row) => pgText(row.service)),
        rows.map((row) => pgText(row.instance)),
        rows.map((row) => pgText(row.route)),
        rows.map((row) => pgText(row.scope)),
        rows.map((row) => row.firstSeenMs),
        rows.map((row) => row.lastSeenMs),
        rows.map((row) => row.spans),
      ],
    );
  }

  async listAgents(): Promise<AgentSighting[]> {
    return (await this.#query(`SELECT ${AGENT_COLUMNS} FROM agents ORDER BY service, instance, side, route`)).map(toAgentSighting);
  }

  async recordAbruptEnds(ends: AbruptEnd[]): Promise<void> {
    if (ends.length === 0) return;
    await this.#query(
      `INSERT INTO abrupt_ends (connection_id, side, end_time_ms, service, instance, route, target)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[])
       ON CONFLICT (connection_id, side) DO NOTHING`,
      [
        ends.map((end) => pgText(end.connectionId)),
        ends.map((end) => end.side),
        ends.map((end) => Math.round(end.endTimeMs)),
        ends.map((end) => pgText(end.service)),
        ends.map((end) => pgText(end.instance)),
        ends.map((end) => pgText(end.route)),
        ends.map((end) => pgText(end.target)),
      ],
    );
  }

  async abruptEnds(fromMs: number, toMs: number, limit: number): Promise<AbruptEnd[]> {
    const rows = await this.#query('SELECT * FROM abrupt_ends WHERE end_time_ms BETWEEN $1 AND $2 ORDER BY end_time_ms LIMIT $3', [
      Math.floor(fromMs),
      Math.ceil(toMs),
      limit,
    ]);
    return rows.map(toAbruptEnd);
  }

  async recordMassDrops(drops: MassDropEvent[]): Promise<void> {
    const rows = byId(drops);
    if (rows.length === 0) return;
    await this.#query(
      `INSERT INTO mass_drops (${MASS_DROP_COLUMNS})
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[])
       ON CONFLICT (id) DO UPDATE SET
         connections = GREATEST(mass_drops.connections, excluded.connections),
         first_end_ms = LEAST(mass_drops.first_end_ms, excluded.first_end_ms),
         last_end_ms = GREATEST(mass_drops.last_end_ms, excluded.last_end_ms),
         last_seen_ms = COALESCE(excluded.last_seen_ms, mass_drops.last_seen_ms),
         detected_at_ms = LEAST(mass_drops.detected_at_ms, excluded.detected_at_ms)`,
      [
        rows.map((row) => pgText(row.id)),
        rows.map((row) => row.cause),
        rows.map((row) => row.group),
        rows.map((row) => pgText(row.route)),
        rows.map((row) => pgText(row.target)),
        rows.map((row) => pgText(row.service)),
        rows.map((row) => pgText(row.instance)),
        rows.map((row) => row.connections),
        rows.map((row) => Math.round(row.firstEndMs)),
        rows.map((row) => Math.round(row.lastEndMs)),
        rows.map((row) => (row.lastSeenMs === null ? null : Math.round(row.lastSeenMs))),
        rows.map((row) => Math.round(row.detectedAtMs)),
      ],
    );
  }

  async listMassDrops(fromMs: number, toMs: number): Promise<MassDropEvent[]> {
    const rows = await this.#query(`SELECT ${MASS_DROP_COLUMNS} FROM mass_drops WHERE last_end_ms >= $1 AND first_end_ms <= $2 ORDER BY first_end_ms, id`, [
      Math.floor(fromMs),
      Math.ceil(toMs),
    ]);
    return rows.map(toMassDrop);
  }

  async deleteOlderThan(cutoffMs: number): Promise<void> {
    await this.#query('DELETE FROM abrupt_ends WHERE end_time_ms < $1', [cutoffMs]);
    await this.#query('DELETE FROM mass_drops WHERE last_end_ms < $1', [cutoffMs]);
    await this.#query('DELETE FROM agents WHERE last_seen_ms < $1', [cutoffMs]);
  }
}
