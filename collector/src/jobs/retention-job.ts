import type { Store } from '../store/store.js';
import { PeriodicJob } from './periodic-job.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const LEADERSHIP = 'retention';

export interface RetentionJobOptions {
  retentionDays: number;
  intervalMs: number;
  now: () => number;
  onError?: (error: unknown) => void;
}

/** Deletes connections older than the retention period; only the leader instance runs it. */
export class RetentionJob {
  readonly #store: Store;
  readonly #options: RetentionJobOptions;
  readonly #job: PeriodicJob<number>;

  constructor(store: Store, options: RetentionJobOptions) {
    this.#store = store;
    this.#options = options;
    this.#job = new PeriodicJob(() => this.#run(), { intervalMs: options.intervalMs, runAtStart: true, onError: options.onError });
  }

  start(): void {
    this.#job.start();
  }

  /** Deletes what is past retention if this instance leads; resolves with the number of rows deleted. */
  runOnce(): Promise<number> {
    return this.#job.runOnce();
  }

  stop(): Promise<void> {
    return this.#job.stop();
  }

  async #run(): Promise<number> {
    if (!(await this.#store.tryAcquireLeadership(LEADERSHIP))) return 0;
    return this.#store.deleteOlderThan(this.#options.now() - this.#options.retentionDays * DAY_MS);
  }
}
