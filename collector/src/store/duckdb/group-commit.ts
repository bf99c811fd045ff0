interface Waiting<I, O> {
  inputs: I[];
  resolve(outputs: O[]): void;
  reject(error: unknown): void;
}

/** What a write returns: the outputs now, and when they are durable (callers are answered then). */
export interface Written<O> {
  outputs: O[];
  durable: Promise<void>;
}

export interface GroupCommitOptions<I, O> {
  /** Runs a task alone (the store's serial queue of writes). */
  run(task: () => Promise<void>): Promise<void>;
  /**
   * Writes many callers' inputs at once (one durable commit) and returns all outputs. The next group
   * may start as soon as it returns; its callers are answered once `durable` resolves.
   */
  write(inputs: I[]): Promise<Written<O>>;
  /** Picks one caller's outputs out of a combined write. */
  select(outputs: O[], inputs: I[]): O[];
  /** Most inputs written at once. */
  maxInputs: number;
}

/**
 * Group commit: calls that arrive while the writer is busy are written together in the next
 * write, so concurrent requests share one commit instead of queueing one commit each.
 * If a combined write fails, each caller's inputs are retried alone so one bad batch fails only its caller.
 */
export class GroupCommit<I, O> {
  readonly #options: GroupCommitOptions<I, O>;
  #waiting: Array<Waiting<I, O>> = [];
  #scheduled = false;

  constructor(options: GroupCommitOptions<I, O>) {
    this.#options = options;
  }

  submit(inputs: I[]): Promise<O[]> {
    return new Promise<O[]>((resolve, reject) => {
      this.#waiting.push({ inputs, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#options.run(() => this.#flush()).catch(() => undefined);
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const group = this.#takeGroup();
    if (this.#waiting.length > 0) this.#schedule();
    if (group.length === 0) return;
    try {
      this.#answer(group, await this.#options.write(group.flatMap((w) => w.inputs)));
    } catch (error) {
      if (group.length === 1) {
        group[0].reject(error);
        return;
      }
      for (const waiting of group) {
        await this.#options.write(waiting.inputs).then((written) => this.#answer([waiting], written), waiting.reject);
      }
    }
  }

  #answer(group: Array<Waiting<I, O>>, { outputs, durable }: Written<O>): void {
    durable.then(
      () => {
        for (const waiting of group) waiting.resolve(this.#options.select(outputs, waiting.inputs));
      },
      (error: unknown) => {
        for (const waiting of group) waiting.reject(error);
      },
    );
  }

  /** Takes waiting calls in arrival order up to maxInputs (always at least one). */
  #takeGroup(): Array<Waiting<I, O>> {
    let size = 0;
    let count = 0;
    while (count < this.#waiting.length && (count === 0 || size + this.#waiting[count].inputs.length <= this.#options.maxInputs)) {
      size += this.#waiting[count].inputs.length;
      count++;
    }
    return this.#waiting.splice(0, count);
  }
}
