interface Waiting<I, O> {
  inputs: I[];
  weight: number;
  resolve: (outputs: O[]) => void;
  reject: (error: unknown) => void;
}

/** What a write returns: the outputs now, and when they are durable (callers are answered then). */
export interface Written<O> {
  outputs: O[];
  durable: Promise<void>;
}

const DURABLE: Promise<void> = Promise.resolve();

/** A write whose outputs are durable when it returns. */
export function writtenNow<O>(outputs: O[] = []): Written<O> {
  return { outputs, durable: DURABLE };
}

export interface GroupCommitOptions<I, O> {
  /**
   * Writes many callers' inputs at once (one durable commit) and returns all outputs. The next group
   * may start as soon as it returns; its callers are answered once `durable` resolves.
   */
  write: (inputs: I[]) => Promise<Written<O>>;
  /** Picks one caller's outputs out of a combined write. Default: none (callers only wait). */
  select?: (outputs: O[], inputs: I[]) => O[];
  /** Most weight written at once (a caller heavier than this is written alone). */
  maxWeight: number;
  /** The weight of one caller's inputs. Default: how many there are. */
  weigh?: (inputs: I[]) => number;
  /** Writes that may run at once (each until `write` returns). Default 1. */
  maxInFlight?: number;
  /** Runs each write, e.g. in a queue it shares with other work. Default: at once. */
  run?: (task: () => Promise<void>) => Promise<void>;
}

const runNow = (task: () => Promise<void>): Promise<void> => task();
const selectNothing = (): never[] => [];

/**
 * Group commit, the one batching layer of ingest and the stores (docs/design.md, "Store"): calls
 * that arrive while writes are in flight are written together in the next write, so concurrent
 * callers share one commit instead of queueing one commit each; an idle writer writes at once.
 *
 * One failure behaviour: a combined write that throws is retried caller by caller, so one caller's
 * inputs fail only that caller, and each caller gets its own result or its own error. When a write's
 * durability fails, every caller of that write gets the error (what a writer does after that, e.g. the
 * journal failing every later write, is the writer's own rule).
 */
export class GroupCommit<I, O> {
  readonly #write: (inputs: I[]) => Promise<Written<O>>;
  readonly #select: (outputs: O[], inputs: I[]) => O[];
  readonly #maxWeight: number;
  readonly #weigh: (inputs: I[]) => number;
  readonly #maxInFlight: number;
  readonly #run: (task: () => Promise<void>) => Promise<void>;
  #waiting: Array<Waiting<I, O>> = [];
  /** A write is started (or queued in `run`) and has not taken its group yet. */
  #scheduled = false;
  #inFlight = 0;
  #idle: Array<() => void> = [];

  constructor(options: GroupCommitOptions<I, O>) {
    this.#write = options.write;
    this.#select = options.select ?? selectNothing;
    this.#maxWeight = options.maxWeight;
    this.#weigh = options.weigh ?? ((inputs) => inputs.length);
    this.#maxInFlight = options.maxInFlight ?? 1;
    this.#run = options.run ?? runNow;
  }

  /** Resolves with this caller's outputs once they are durable. */
  submit(inputs: I[]): Promise<O[]> {
    return new Promise<O[]>((resolve, reject) => {
      this.#waiting.push({ inputs, weight: this.#weigh(inputs), resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves once nothing is waiting or being written (outputs may still be waiting to be durable). */
  idle(): Promise<void> {
    if (this.#waiting.length === 0 && this.#inFlight === 0) return DURABLE;
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight) return;
    this.#scheduled = true;
    this.#inFlight++;
    this.#run(() => this.#flush())
      .catch(() => undefined)
      .finally(() => {
        this.#inFlight--;
        if (this.#waiting.length > 0) this.#schedule();
        else if (this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve();
      });
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const group = this.#takeGroup();
    if (this.#waiting.length > 0) this.#schedule();
    if (group.length === 0) return;
    try {
      this.#answer(group, await this.#write(group.length === 1 ? group[0].inputs : group.flatMap((w) => w.inputs)));
    } catch (error) {
      if (group.length === 1) {
        group[0].reject(error);
        return;
      }
      for (const waiting of group) {
        await this.#write(waiting.inputs).then((written) => this.#answer([waiting], written), waiting.reject);
      }
    }
  }

  #answer(group: Array<Waiting<I, O>>, { outputs, durable }: Written<O>): void {
    durable.then(
      () => {
        for (const waiting of group) waiting.resolve(this.#select(outputs, waiting.inputs));
      },
      (error: unknown) => {
        for (const waiting of group) waiting.reject(error);
      },
    );
  }

  /** Takes waiting calls in arrival order up to maxWeight (always at least one). */
  #takeGroup(): Array<Waiting<I, O>> {
    let weight = 0;
    let count = 0;
    while (count < this.#waiting.length && (count === 0 || weight + this.#waiting[count].weight <= this.#maxWeight)) {
      weight += this.#waiting[count].weight;
      count++;
    }
    return this.#waiting.splice(0, count);
  }
}
