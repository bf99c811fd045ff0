import pg from 'pg';

/**
 * Samples what the database's client backends are doing every `intervalMs` (pg_stat_activity):
 * running on CPU, waiting on an event (WAL flush, a lock …), or idle (waiting for the collector).
 */
export class PostgresWaitSampler {
  readonly #client: pg.Client;
  readonly #database: string;
  readonly #counts = new Map<string, number>();
  #samples = 0;
  #timer: NodeJS.Timeout | null = null;

  constructor(serverUrl: string, database: string) {
    this.#client = new pg.Client({ connectionString: serverUrl });
    this.#client.on('error', () => {});
    this.#database = database;
  }

  async start(intervalMs = 50): Promise<void> {
    await this.#client.connect();
    const sample = async () => {
      const { rows } = await this.#client.query<{ state: string | null; wait: string | null }>(
        `SELECT state, wait_event_type || ':' || wait_event AS wait FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
        [this.#database],
      );
      this.#samples++;
      for (const row of rows) {
        const what = row.state !== 'active' ? 'idle (waiting for a collector)' : row.wait === null ? 'running (CPU)' : row.wait;
        this.#counts.set(what, (this.#counts.get(what) ?? 0) + 1);
      }
    };
    const loop = () => {
      this.#timer = setTimeout(() => void sample().then(loop, loop), intervalMs);
    };
    loop();
  }

  /** Stops sampling; returns the average number of backends in each state, largest first. */
  async stop(): Promise<Array<[string, number]>> {
    if (this.#timer) clearTimeout(this.#timer);
    await this.#client.end().catch(() => {});
    return [...this.#counts].map(([what, n]) => [what, n / Math.max(1, this.#samples)] as [string, number]).sort((a, b) => b[1] - a[1]);
  }
}
