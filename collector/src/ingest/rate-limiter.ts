interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

/** Buckets kept at most; the least recently refilled are dropped first (a dropped bucket starts full again). */
const MAX_BUCKETS = 10_000;

/**
 * A token bucket per client (address + ingest key): `ratePerSecond` requests per second with bursts of
 * `burst`. `take` answers the seconds to wait, or 0 when the request may go on.
 */
export class RateLimiter {
  readonly #ratePerSecond: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(ratePerSecond: number, burst: number, now: () => number) {
    this.#ratePerSecond = ratePerSecond;
    this.#burst = Math.max(1, burst);
    this.#now = now;
  }

  /** Seconds until the client may send again, 0 when this request is allowed (and counted). */
  take(client: string): number {
    if (this.#ratePerSecond <= 0) return 0;
    const now = this.#now();
    let bucket = this.#buckets.get(client);
    if (bucket) {
      this.#buckets.delete(client);
      bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.updatedAtMs) / 1000) * this.#ratePerSecond);
      bucket.updatedAtMs = now;
    } else {
      bucket = { tokens: this.#burst, updatedAtMs: now };
      if (this.#buckets.size >= MAX_BUCKETS) this.#buckets.delete(this.#buckets.keys().next().value!);
    }
    this.#buckets.set(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#ratePerSecond));
  }
}
