import type { FinalizeDeps } from './finalize-connections.js';
import { finalizeConnections } from './finalize-connections.js';

export interface JoinSweeperOptions {
  intervalMs: number;
  /** Rows claimed per store round trip. */
  batchSize?: number;
  /** Round trips per tick, so one tick is bounded even with a large backlog. */
  maxBatchesPerTick?: number;
  onError?: (error: unknown) => void;
}

/**
 * Finalises connections whose join window passed with the sides they have. Every instance runs one:
 * claimExpired hands each row to one instance only.
 */
export class JoinSweeper {
  readonly #deps: FinalizeDeps;
  readonly #options: Required<JoinSweeperOptions>;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;

  constructor(deps: FinalizeDeps, options: JoinSweeperOptions) {
    this.#deps = deps;
    this.#options = { batchSize: 500, maxBatchesPerTick: 20, onError: () => {}, ...options };
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.sweepOnce().catch(this.#options.onError), this.#options.intervalMs);
    this.#timer.unref();
  }

  /** Finalises what expired by now; resolves with how many became final. Overlapping calls share one run. */
  sweepOnce(): Promise<number> {
    this.#running ??= this.#sweep().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => {});
  }

  async #sweep(): Promise<number> {
    const { batchSize, maxBatchesPerTick } = this.#options;
    let finalized = 0;
    for (let batch = 0; batch < maxBatchesPerTick; batch++) {
      const expired = await this.#deps.store.claimExpired(this.#deps.now(), batchSize);
      const counted = await finalizeConnections(this.#deps, expired);
      this.#deps.metrics.joinExpiredTotal.inc(counted.length);
      finalized += counted.length;
      if (expired.length < batchSize) break;
    }
    return finalized;
  }
}
