import { BufferPool } from './buffer-pool.js';

/** Final lines in one batch (one INSERT)… */
export const LINES_PER_BATCH = 4096;
/** …and at most about this many bytes of them (a line is a few hundred bytes in practice). */
const BATCH_BYTES = 4 * 1024 * 1024;
const FIRST_BUFFER_BYTES = 64 * 1024;

/** Buffers of loaded batches (and outgrown ones), kept for the next batches. */
const pool = new BufferPool({ minBytes: FIRST_BUFFER_BYTES, maxBuffers: 2, maxBytes: 2 * BATCH_BYTES });

const OPEN = 0x5b; // [
const COMMA = 0x2c;
const CLOSE = 0x5d; // ]
const COMMA_BYTES = Buffer.from(',');

/** One batch: a JSON array of final lines being written, as UTF-8 bytes outside the JS heap. */
class Batch {
  bytes = pool.take(FIRST_BUFFER_BYTES);
  length = 1;
  lines = 0;
  /** Where each line ends in `bytes` (it starts after the `[` or the comma before it). */
  ends: number[] = [];

  constructor() {
    this.bytes[0] = OPEN;
  }

  add(line: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: an upper bound without a pass over the line
    const room = line.length * 3 + 2;
    if (this.length + room > this.bytes.length) {
      const grown = pool.take(Math.max(2 * this.bytes.length, this.length + room));
      this.bytes.copy(grown, 0, 0, this.length);
      pool.give(this.bytes);
      this.bytes = grown;
    }
    if (this.lines > 0) this.bytes[this.length++] = COMMA;
    this.length += this.bytes.write(line, this.length);
    this.ends.push(this.length);
    this.lines++;
  }

  full(): boolean {
    return this.lines >= LINES_PER_BATCH || this.length >= BATCH_BYTES;
  }

  /** Each line's UTF-8 bytes (views of the buffer). */
  lineBytes(): Buffer[] {
    return this.ends.map((end, i) => this.bytes.subarray(i === 0 ? 1 : this.ends[i - 1] + 1, end));
  }

  /** The batch as a JSON array (a view of its buffer). */
  json(): Buffer {
    this.bytes[this.length] = CLOSE;
    return this.bytes.subarray(0, this.length + 1);
  }
}

/**
 * Final lines waiting to be loaded into DuckDB, and their connection ids. The lines are kept as UTF-8
 * JSON arrays in buffers outside the JS heap, ready to load: kept as strings, thousands of them
 * outlived the young generation, so scavenges copied them and full GCs had them to mark.
 */
export class UnloadedFinals {
  #ids = new Set<string>();
  #batches: Batch[] = [];

  get size(): number {
    return this.#ids.size;
  }

  ids(): IterableIterator<string> {
    return this.#ids.values();
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  add(id: string, line: string): void {
    let batch = this.#batches.at(-1);
    if (!batch || batch.full()) this.#batches.push((batch = new Batch()));
    batch.add(line);
    this.#ids.add(id);
  }

  /** The lines as JSON arrays of at most LINES_PER_BATCH lines each, oldest first. */
  json(): Buffer[] {
    return this.#batches.map((batch) => batch.json());
  }

  /** Every line's UTF-8 bytes, oldest first (views, valid until `release`). */
  lines(): Buffer[] {
    return this.#batches.flatMap((batch) => batch.lineBytes());
  }

  /** Gives the buffers back for later batches once the lines are loaded; the set is empty after. */
  release(): void {
    for (const batch of this.#batches) pool.give(batch.bytes);
    this.#batches = [];
    this.#ids = new Set();
  }

  /** Moves every line out into a new set, leaving this one empty. */
  take(): UnloadedFinals {
    const taken = new UnloadedFinals();
    taken.#ids = this.#ids;
    taken.#batches = this.#batches;
    this.#ids = new Set();
    this.#batches = [];
    return taken;
  }

  /** Puts lines taken out before (a load that failed) back in front of the ones added since. */
  restore(taken: UnloadedFinals): void {
    for (const id of taken.#ids) this.#ids.add(id);
    this.#batches = [...taken.#batches, ...this.#batches];
  }
}

/** Lines (each a JSON object's UTF-8 bytes) as JSON arrays of at most LINES_PER_BATCH lines. */
export function jsonArrays(lines: readonly Buffer[]): Buffer[] {
  const arrays: Buffer[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_BATCH) {
    const parts: Buffer[] = [Buffer.from('[')];
    lines.slice(i, i + LINES_PER_BATCH).forEach((line, j) => parts.push(...(j === 0 ? [line] : [COMMA_BYTES, line])));
    parts.push(Buffer.from(']'));
    arrays.push(Buffer.concat(parts));
  }
  return arrays;
}
