import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { SerialQueue } from './serial-queue.js';

export type DuckDbRow = Record<string, unknown>;

/** What a statement inside or outside a transaction can do. */
export interface DuckDbExecutor {
  all(sql: string, params?: unknown[]): Promise<DuckDbRow[]>;
  /** Runs a statement and returns the number of rows it changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
}

/**
 * One DuckDB connection with a serial queue (statements never interleave, so a transaction
 * is never entered by an unrelated call).
 */
export class DuckDbSession implements DuckDbExecutor {
  readonly #connection: DuckDBConnection;
  readonly #queue = new SerialQueue();
  readonly #direct: DuckDbExecutor = {
    all: (sql, params = []) => this.#execute(sql, params).then((r) => r.rows),
    run: (sql, params = []) => this.#execute(sql, params).then((r) => r.changed),
  };

  constructor(connection: DuckDBConnection) {
    this.#connection = connection;
  }

  all(sql: string, params: unknown[] = []): Promise<DuckDbRow[]> {
    return this.#queue.run(() => this.#direct.all(sql, params));
  }

  run(sql: string, params: unknown[] = []): Promise<number> {
    return this.#queue.run(() => this.#direct.run(sql, params));
  }

  /** Runs `work` alone on this connection, in autocommit mode. */
  exclusive<T>(work: (executor: DuckDbExecutor) => Promise<T>): Promise<T> {
    return this.#queue.run(() => work(this.#direct));
  }

  /** Runs unprepared SQL (DDL, several statements). */
  exec(sql: string): Promise<void> {
    return this.#queue.run(async () => {
      await this.#connection.run(sql);
    });
  }

  /** BEGIN … COMMIT around `work`; rolls back when it throws. COMMIT returns after the WAL is synced. */
  transaction<T>(work: (tx: DuckDbExecutor) => Promise<T>): Promise<T> {
    return this.#queue.run(async () => {
      await this.#connection.run('BEGIN TRANSACTION');
      try {
        const result = await work(this.#direct);
        await this.#connection.run('COMMIT');
        return result;
      } catch (error) {
        await this.#connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Waits for queued work, then releases the statements and the connection. */
  close(): Promise<void> {
    return this.#queue.run(async () => {
      this.#connection.closeSync();
    });
  }

  /**
   * Prepares every call afresh: with @duckdb/node-api 1.5.6 a statement with ORDER BY / GROUP BY
   * prepared before later writes returns corrupted strings or crashes when run again.
   */
  async #execute(sql: string, params: unknown[]): Promise<{ rows: DuckDbRow[]; changed: number }> {
    const statement = await this.#connection.prepare(sql);
    try {
      statement.bind(params as DuckDBValue[]);
      const reader = await statement.runAndReadAll();
      return { rows: reader.getRowObjectsJS() as DuckDbRow[], changed: reader.rowsChanged };
    } finally {
      statement.destroySync();
    }
  }
}
