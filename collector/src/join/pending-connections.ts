import type { Store } from '../store/store.js';

/**
 * The number of connections waiting for their other side, read from the store (shared by all instances)
 * at most once per `maxAgeMs`: the join_pending gauge and the ingest's overflow check read this cache.
 */
export class PendingConnections {
  readonly #store: Store;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  #value = 0;
  #readAtMs = Number.NEGATIVE_INFINITY;
  #reading: Promise<number> | null = null;

  constructor(store: Store, now: () => number, maxAgeMs = 1000) {
    this.#store = store;
    this.#now = now;
    this.#maxAgeMs = maxAgeMs;
  }

  /** The last known count; starts a refresh in the background when it is stale. */
  cached(): number {
    if (this.#now() - this.#readAtMs > this.#maxAgeMs) void this.read();
    return this.#value;
  }

  /** A fresh enough count; on a store error the last known one. */
  async read(): Promise<number> {
    if (this.#now() - this.#readAtMs <= this.#maxAgeMs) return this.#value;
    return this.fresh();
  }

  /** The count as the store has it now (concurrent callers share one query); on a store error the last known one. */
  fresh(): Promise<number> {
    this.#reading ??= this.#store
      .countPending()
      .then((count) => {
        this.#value = count;
        this.#readAtMs = this.#now();
        return count;
      })
      .catch(() => this.#value)
      .finally(() => {
        this.#reading = null;
      });
    return this.#reading;
  }
}
