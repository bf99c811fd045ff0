import type { DuckDBAppender, DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { SerialQueue } from './serial-queue.js';

export type DuckDbRow = Record<string, unknown>;

/** What a statement inside or outside a transaction can do. */
export interface DuckDbExecutor {
  all(sql: string, params?: unknown[]): Promise<DuckDbRow[]>;
  /** Runs a statement and returns the number of rows it changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
  /**
   * Appends rows with DuckDB's Appender (its fast write path: no SQL, no per-row constraint lookup
   * beyond the table's own index). Inside a transaction the rows commit or roll back with it.
   */
  append(table: string, fill: (appender: DuckDBAppender) => void): Promise<void>;
  /** BEGIN … COMMIT around `work` on this executor; rolls back when it throws. */
  transaction<T>(work: (tx: DuckDbExecutor) => Promise<T>): Promise<T>;
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
    append: (table, fill) => this.#append(table, fill),
    transaction: (work) => this.#transaction(work),
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

  append(table: string, fill: (appender: DuckDBAppender) => void): Promise<void> {
    return this.#queue.run(() => this.#append(table, fill));
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
    return this.#queue.run(() => this.#transaction(work));
  }

  /** Waits for queued work, then releases the statements and the connection. */
  close(): Promise<void> {
    return this.#queue.run(() => {
      this.#connection.closeSync();
      return Promise.resolve();
    });
  }

  async #transaction<T>(work: (tx: DuckDbExecutor) => Promise<T>): Promise<T> {
    await this.#connection.run('BEGIN TRANSACTION');
    try {
      const result = await work(this.#direct);
      await this.#connection.run('COMMIT');
      return result;
    } catch (error) {
      await this.#connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async #append(table: string, fill: (appender: DuckDBAppender) => void): Promise<void> {
    const appender = await this.#connection.createAppender(table);
    try {
      fill(appender);
      appender.flushSync();
    } catch (error) {
      // closing flushes what is buffered: a half-filled batch must not reach the table
      try {
        appender.clear();
        appender.closeSync();
      } catch {
        // the first error is the one to report
      }
      throw error;
    }
    appender.closeSync();
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
      return { rows: reader.getRowObjectsJS(), changed: reader.rowsChanged };
    } finally {
      statement.destroySync();
    }
  }
}
