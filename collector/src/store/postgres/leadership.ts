import pg from 'pg';
import { toStoreError } from './unavailable.js';

/**
 * Session advisory locks on one dedicated connection: held while this process lives, released by
 * the server when the connection drops (crash, kill, network loss), so another instance can take over.
 */
export class AdvisoryLeadership {
  readonly #config: pg.ClientConfig;
  #client: pg.Client | null = null;
  #connecting: Promise<pg.Client> | null = null;
  readonly #held = new Set<string>();

  constructor(config: pg.ClientConfig) {
    this.#config = config;
  }

  async tryAcquire(name: string): Promise<boolean> {
    try {
      const client = await this.#connect();
      // Re-locking would stack the session lock; a round trip proves the holding session is alive.
      if (this.#held.has(name)) {
        await client.query('SELECT 1');
        return true;
      }
      const { rows } = await client.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS acquired', [name]);
      const acquired = rows[0]?.acquired === true;
      if (acquired) this.#held.add(name);
      return acquired;
    } catch (error) {
      this.#drop();
      throw toStoreError(error);
    }
  }

  /** Ends the session, which releases every lock it holds. */
  async close(): Promise<void> {
    const client = this.#client;
    this.#drop();
    await client?.end().catch(() => undefined);
  }

  #connect(): Promise<pg.Client> {
    if (this.#client) return Promise.resolve(this.#client);
    this.#connecting ??= (async () => {
      const client = new pg.Client(this.#config);
      client.on('error', () => this.#lose(client));
      client.on('end', () => this.#lose(client));
      try {
        await client.connect();
      } finally {
        this.#connecting = null;
      }
      this.#client = client;
      return client;
    })();
    return this.#connecting;
  }

  #lose(client: pg.Client): void {
    if (this.#client === client) this.#drop();
  }

  #drop(): void {
    const client = this.#client;
    this.#client = null;
    this.#held.clear();
    client?.end().catch(() => undefined);
  }
}
