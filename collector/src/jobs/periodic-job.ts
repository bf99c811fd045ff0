export interface PeriodicJobOptions {
  intervalMs: number;
  /** Also run once when started (default false: first run after one interval). */
  runAtStart?: boolean;
  /** Reports a failed run; the job goes on at the next interval. */
  onError?: (error: unknown) => void;
}

/**
 * Runs `work` every interval on an unref'd timer; overlapping runs share one (single flight), and
 * `stop()` waits for the run in progress. The loop the sweeper, retention and alert jobs share.
 */
export class PeriodicJob<T> {
  readonly #work: () => Promise<T>;
  readonly #options: PeriodicJobOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<T> | null = null;

  constructor(work: () => Promise<T>, options: PeriodicJobOptions) {
    this.#work = work;
    this.#options = options;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#runReportingErrors(), this.#options.intervalMs);
    this.#timer.unref();
    if (this.#options.runAtStart) this.#runReportingErrors();
  }

  /** One run now, or the one already in progress. */
  runOnce(): Promise<T> {
    this.#running ??= this.#work().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => {});
  }

  #runReportingErrors(): void {
    this.runOnce().catch((error: unknown) => this.#options.onError?.(error));
  }
}
