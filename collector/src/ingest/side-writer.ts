import { CollectorError } from '../errors.js';
import { finalizeConnections, type FinalizeDeps } from '../join/finalize-connections.js';
import { displacedSides, orderForJoin } from '../join/join-slots.js';
import type { ConnectionRecord, IncomingSide } from '../store/store.js';

/** Seconds a client should wait before retrying when the store failed. */
export const STORE_RETRY_AFTER_SECONDS = 5;

interface QueuedWrite {
  sides: IncomingSide[];
  /** Connection ids to finalise at once: no peer expected, or join overflow. */
  alone: Set<string>;
  resolve: () => void;
  reject: (error: unknown) => void;
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
 * Writes sides durably and finalises complete connections, with group commit: requests that arrive
 * while writes are in flight are written together in the next one, so a busy collector pays the
 * store's per-transaction cost once per group instead of once per request. An idle one writes at once.
 * Up to MAX_GROUPS_IN_FLIGHT groups are written at once (the stores keep concurrent writes consistent),
 * so the CPU work of one overlaps the other's wait for the disk.
 */
export class SideWriter {
  readonly #deps: FinalizeDeps;
  readonly #maxSidesPerWrite: number;
  readonly #maxGroups: number;
  #queue: QueuedWrite[] = [];
  #groupsInFlight = 0;

  constructor(deps: FinalizeDeps, maxSidesPerWrite = 2000, maxGroups = MAX_GROUPS_IN_FLIGHT) {
    this.#deps = deps;
    this.#maxSidesPerWrite = maxSidesPerWrite;
    this.#maxGroups = maxGroups;
  }

  /** Resolves once the sides are durable and every complete connection among them is finalised. */
  write(sides: IncomingSide[], alone: Set<string>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ sides, alone, resolve, reject });
      this.#startGroups();
    });
  }

  #startGroups(): void {
    while (this.#queue.length > 0 && this.#groupsInFlight < this.#maxGroups) {
      this.#groupsInFlight++;
      void this.#write(this.#takeGroup()).finally(() => {
        this.#groupsInFlight--;
        this.#startGroups();
      });
    }
  }

  async #write(group: QueuedWrite[]): Promise<void> {
    try {
      await this.#writeGroup(group);
      for (const write of group) write.resolve();
    } catch (error) {
      if (group.length === 1) group[0]!.reject(storeUnavailable(error));
      // One request's data must not fail the others': write them one by one.
      else for (const write of group) await this.#writeGroup([write]).then(write.resolve, (e: unknown) => write.reject(storeUnavailable(e)));
    }
  }

  #takeGroup(): QueuedWrite[] {
    const group: QueuedWrite[] = [];
    let sides = 0;
    while (this.#queue.length > 0 && (group.length === 0 || sides + this.#queue[0]!.sides.length <= this.#maxSidesPerWrite)) {
      const write = this.#queue.shift()!;
      sides += write.sides.length;
      group.push(write);
    }
    return group;
  }

  async #writeGroup(group: QueuedWrite[]): Promise<void> {
    const sides = orderForJoin(group.length === 1 ? group[0]!.sides : group.flatMap((write) => write.sides));
    let alone = group.length === 1 ? group[0]!.alone : new Set(group.flatMap((write) => [...write.alone]));
    const records = await this.#deps.store.upsertSides(sides);
    // server spans whose client's slot another server span holds: connections of their own (rare)
    const apart = displacedSides(sides, records);
    if (apart.length > 0) {
      alone = new Set([...alone, ...apart.map((side) => side.connectionId)]);
      records.push(...(await this.#deps.store.upsertSides(apart)));
    }
    await finalizeConnections(this.#deps, completeRows(records, alone));
  }
}
