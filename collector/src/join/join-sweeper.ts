import { PeriodicJob } from '../jobs/periodic-job.js';
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
  readonly #job: PeriodicJob<number>;

  constructor(deps: FinalizeDeps, options: JoinSweeperOptions) {
    this.#deps = deps;
    this.#options = { batchSize: 500, maxBatchesPerTick: 20, onError: () => {}, ...options };
    this.#job = new PeriodicJob(() => this.#sweep(), { intervalMs: this.#options.intervalMs, onError: this.#options.onError });
  }

  start(): void {
    this.#job.start();
  }

  /** Finalises what expired by now; resolves with how many became final. Overlapping calls share one run. */
  sweepOnce(): Promise<number> {
    return this.#job.runOnce();
  }

  stop(): Promise<void> {
    return this.#job.stop();
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
