import type { DuckDBConnection } from '@duckdb/node-api';

const HASHES = 7;
/** 12 bits and 7 hashes per id: about 0.3% of ids that were never final still get looked up. */
const BITS_PER_ID = 12;
export const MIN_FINAL_ID_CAPACITY = 1 << 20;

/** The two FNV-1a hashes (over UTF-16 code units, two offset bases) a Bloom filter position is made of, in one pass. */
function hashPair(id: string, into: Uint32Array): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x050c5d1f;
  for (let i = 0; i < id.length; i++) {
    const unit = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ unit, 0x01000193);
    h2 = Math.imul(h2 ^ unit, 0x01000193);
  }
  into[0] = h1;
  into[1] = h2 | 1;
}

/**
 * A Bloom filter over the ids of final rows, so that the side of a new connection (nearly every side)
 * skips the id lookup in `connections`. No false negatives once `ready`: every id the scan saw or
 * `add` was given answers true. Ids deleted by retention stay in (only more lookups).
 */
export class FinalIdFilter {
  readonly capacity: number;
  readonly #bits: Uint32Array;
  readonly #hashes = new Uint32Array(2);
  readonly #size: number;
  #count = 0;
  ready = false;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#size = capacity * BITS_PER_ID;
    this.#bits = new Uint32Array(Math.ceil(this.#size / 32));
  }

  get count(): number {
    return this.#count;
  }

  add(id: string): void {
    this.#count++;
    hashPair(id, this.#hashes);
    const h1 = this.#hashes[0];
    const h2 = this.#hashes[1];
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + Math.imul(i, h2)) >>> 0;
      const at = bit % this.#size;
      this.#bits[at >>> 5] |= 1 << (at & 31);
    }
  }

  /** False only for an id that was never added (and only once the scan is complete). */
  mightContain(id: string): boolean {
    if (!this.ready) return true;
    hashPair(id, this.#hashes);
    const h1 = this.#hashes[0];
    const h2 = this.#hashes[1];
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + Math.imul(i, h2)) >>> 0;
      const at = bit % this.#size;
      if ((this.#bits[at >>> 5] & (1 << (at & 31))) === 0) return false;
    }
    return true;
  }
}

/**
 * Adds every id of `connections` to the filter over its own connection (a snapshot: the caller adds
 * the ids finalised meanwhile and those not yet loaded), chunk by chunk so a large table does not hold
 * the event loop.
 */
export async function scanFinalIds(connection: DuckDBConnection, filter: FinalIdFilter, stopped: () => boolean): Promise<void> {
  const result = await connection.stream('SELECT id FROM connections');
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    if (stopped()) return;
    for (const id of chunk.getColumnValues(0)) filter.add(id as string);
  }
  filter.ready = true;
}
