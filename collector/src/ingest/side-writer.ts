import { CollectorError } from '../errors.js';
import { finalizeConnections, type FinalizeDeps } from '../join/finalize-connections.js';
import { displacedSides, orderForJoin } from '../join/join-slots.js';
import { GroupCommit, writtenNow } from '../store/group-commit.js';
import type { ConnectionRecord, IncomingSide } from '../store/store.js';
import { AgentRecorder } from '../fleet/agent-recorder.js';
import { abruptEndsOf, sightingsOf } from '../fleet/side-sightings.js';

/** Seconds a client should wait before retrying when the store failed. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/** One request's sides, as group commit passes them. */
interface SideWrite {
  sides: IncomingSide[];
  /** Connection ids to finalise at once: no peer expected, or join overflow. */
  alone: Set<string>;
}

export function storeUnavailable(error: unknown): CollectorError {
  return new CollectorError('store_unavailable', undefined, { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS, cause: error });
}

/** Rows ready to classify: both sides arrived, no peer is expected, or already final (a late side re-classifies). */
function completeRows(records: ConnectionRecord[], alone: Set<string>): ConnectionRecord[] {
  return records.filter((record) => record.final || (record.client !== null && record.server !== null) || alone.has(record.id));
}

/** Groups written at the same time: a group's finalize overlaps the next group's upsert. */
export const MAX_GROUPS_IN_FLIGHT = 2;

/**
 * Writes sides durably and finalises complete connections, with group commit (`store/group-commit.ts`):
 * requests that arrive while writes are in flight are written together in the next one, so a busy
 * collector pays the store's per-transaction cost once per group instead of once per request. An idle
 * one writes at once. Up to MAX_GROUPS_IN_FLIGHT groups are written at once (the stores keep
 * concurrent writes consistent), so the CPU work of one overlaps the other's wait for the disk. A
 * failed group is retried request by request; a request that fails alone gets `store_unavailable`.
 */
export class SideWriter {
  readonly #deps: FinalizeDeps;
  readonly #groups: GroupCommit<SideWrite, never>;
  readonly #agents: AgentRecorder;

  constructor(deps: FinalizeDeps, maxSidesPerWrite = 2000, maxGroups = MAX_GROUPS_IN_FLIGHT) {
    this.#deps = deps;
    this.#agents = new AgentRecorder(deps.store.fleet);
    this.#groups = new GroupCommit({
      write: async (writes) => {
        await this.#writeGroup(writes);
        return writtenNow();
      },
      maxWeight: maxSidesPerWrite,
      weigh: (writes) => writes[0].sides.length,
      maxInFlight: maxGroups,
    });
  }

  /** Resolves once the sides are durable and every complete connection among them is finalised. */
  async write(sides: IncomingSide[], alone: Set<string>): Promise<void> {
    try {
      await this.#groups.submit([{ sides, alone }]);
    } catch (error) {
      throw storeUnavailable(error);
    }
  }

  async #writeGroup(group: SideWrite[]): Promise<void> {
    const sides = orderForJoin(group.length === 1 ? group[0].sides : group.flatMap((write) => write.sides));
    let alone = group.length === 1 ? group[0].alone : new Set(group.flatMap((write) => [...write.alone]));
    const records = await this.#deps.store.upsertSides(sides);
    this.#agents.observe(sightingsOf(sides));
    // before finalising: a connection of this group counts the others' abrupt ends into its mass drop
    const ends = abruptEndsOf(sides);
    if (ends.length > 0) await this.#deps.store.fleet.recordAbruptEnds(ends).catch(() => undefined);
    // server spans whose client's slot another server span holds: connections of their own (rare)
    const apart = displacedSides(sides, records);
    if (apart.length > 0) {
      alone = new Set([...alone, ...apart.map((side) => side.connectionId)]);
      records.push(...(await this.#deps.store.upsertSides(apart)));
    }
    await finalizeConnections(this.#deps, completeRows(records, alone));
  }
}
