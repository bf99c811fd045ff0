import type { Store } from '../store/store.js';

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
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;

  constructor(store: Store, options: RetentionJobOptions) {
    this.#store = store;
    this.#options = options;
  }

  start(): void {
    if (this.#timer) return;
    const onError = this.#options.onError ?? (() => {});
    void this.runOnce().catch(onError);
    this.#timer = setInterval(() => void this.runOnce().catch(onError), this.#options.intervalMs);
    this.#timer.unref();
  }

  /** Deletes what is past retention if this instance leads; resolves with the number of rows deleted. */
  runOnce(): Promise<number> {
    this.#running ??= this.#run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => {});
  }

  async #run(): Promise<number> {
    if (!(await this.#store.tryAcquireLeadership(LEADERSHIP))) return 0;
    return this.#store.deleteOlderThan(this.#options.now() - this.#options.retentionDays * DAY_MS);
  }
}
