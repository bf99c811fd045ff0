export interface BufferPoolOptions {
  /** The smallest buffer allocated; larger requests get the next power of two. */
  minBytes: number;
  /** How many buffers are kept… */
  maxBuffers: number;
  /** …and the largest kept. */
  maxBytes: number;
}

/**
 * Large native buffers kept for reuse: allocating fresh megabyte-sized ones per write or load
 * fragments the native heap (RSS grows though little is live).
 */
export class BufferPool {
  readonly #options: BufferPoolOptions;
  readonly #free: Buffer[] = [];

  constructor(options: BufferPoolOptions) {
    this.#options = options;
  }

  /** A buffer of at least `capacity` bytes (its contents are not zeroed). */
  take(capacity: number): Buffer {
    const index = this.#free.findIndex((buffer) => buffer.length >= capacity);
    if (index >= 0) return this.#free.splice(index, 1)[0];
    return Buffer.allocUnsafeSlow(Math.max(this.#options.minBytes, 2 ** Math.ceil(Math.log2(capacity))));
  }

  /** Hands a buffer back once nothing reads it any more. */
  give(buffer: Buffer): void {
    if (this.#free.length < this.#options.maxBuffers && buffer.length <= this.#options.maxBytes) this.#free.push(buffer);
  }
}
