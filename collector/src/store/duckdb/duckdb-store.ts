import type { DuckDBInstance } from '@duckdb/node-api';
import { CollectorError } from '../../errors.js';
import { alertHistoryParams, alertStateParams, toAlertHistory, toAlertRule, toAlertState } from '../alert-rows.js';
import { ALERT_SQL } from '../alert-sql.js';
import { toConnectionRecord } from '../connection-row.js';
import { listClosesSql, toClosePage } from '../list-closes-sql.js';
import { DEFAULT_TOP_N } from '../store-limits.js';
import type {
  AlertHistoryRecord,
  AlertRuleRecord,
  AlertStateRecord,
  CloseFilter,
  ClosePage,
  ConnectionOutcome,
  ConnectionRecord,
  IncomingSide,
  Store,
  Summary,
  Timeseries,
} from '../store.js';
import { summarySql, toSummary } from '../summary-sql.js';
import { checkBuckets, timeseriesSql, toTimeseries } from '../timeseries-sql.js';
import { DuckDbJoin, finalizedOf, MAX_SIDES_PER_STATEMENT, recordsOf, type FinalizeInput, type FinalizeOutput } from './duckdb-join.js';
import { DuckDbSession } from './duckdb-session.js';
import { withSides } from './final-connections.js';
import { GroupCommit } from './group-commit.js';
import { migrateDuckDb } from './migrate.js';
import { openDuckDbFile, type DuckDbFileOptions } from './open-duckdb.js';
import { DUCKDB_SQL } from './queries.js';

/**
 * The embedded store: one DuckDB file owned by this process. Writes go through one connection in
 * call order; queries use a second connection so a long aggregate never delays ingest. The join's
 * pending connections are kept by `DuckDbJoin` (memory + append-only side log), rebuilt by `migrate()`.
 */
export class DuckDbStore implements Store {
  readonly kind = 'duckdb' as const;
  /** Absolute path of the database file. */
  readonly path: string;
  readonly #instance: DuckDBInstance;
  readonly #writer: DuckDbSession;
  readonly #reader: DuckDbSession;
  #closed: Promise<void> | null = null;
  readonly #join = new DuckDbJoin();
  #finalIdsScan: Promise<void> | null = null;
  readonly #upserts: GroupCommit<IncomingSide, ConnectionRecord>;
  readonly #finalizes: GroupCommit<FinalizeInput, FinalizeOutput>;

  private constructor(instance: DuckDBInstance, path: string, writer: DuckDbSession, reader: DuckDbSession) {
    this.#instance = instance;
    this.path = path;
    this.#writer = writer;
    this.#reader = reader;
    this.#upserts = new GroupCommit(writer, {
      write: (executor, sides) => this.#join.upsert(executor, sides),
      select: recordsOf,
      maxInputs: MAX_SIDES_PER_STATEMENT,
    });
    this.#finalizes = new GroupCommit(writer, {
      write: (executor, inputs) => this.#join.finalize(executor, inputs),
      select: finalizedOf,
      maxInputs: MAX_SIDES_PER_STATEMENT,
    });
  }

  /** Opens (creating if needed) `<dataDir>/closewatch.duckdb`; call `migrate()` before use. */
  static async open(dataDir: string, options: DuckDbFileOptions = {}): Promise<DuckDbStore> {
    const { instance, path } = await openDuckDbFile(dataDir, options);
    const writer = new DuckDbSession(await instance.connect());
    const reader = new DuckDbSession(await instance.connect());
    return new DuckDbStore(instance, path, writer, reader);
  }

  /**
   * Applies migrations, then rebuilds the pending connections from the side log (first call only)
   * and starts the background scan of final ids (see `finalIdsScanned`).
   */
  async migrate(): Promise<void> {
    await migrateDuckDb(this.#writer, Date.now());
    await this.#writer.exclusive((executor) => this.#join.load(executor));
    this.#finalIdsScan ??= this.#join.scanFinalIds(() => this.#instance.connect());
  }

  /** Resolves when the scan of final ids started by `migrate()` is done (until then ingest looks every new id up). */
  /** Pending connections are read from the side log before first use, also when `migrate()` was not called. */
  async #loadPending(): Promise<void> {
    if (!this.#join.loaded) await this.#writer.exclusive((executor) => this.#join.load(executor));
  }

  async finalIdsScanned(): Promise<void> {
    await this.#finalIdsScan;
  }

  async ping(): Promise<void> {
    if (this.#closed) throw new CollectorError('store_unavailable', `The DuckDB store at ${this.path} is closed.`);
    await this.#reader.all('SELECT 1');
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#join.stop();
      await Promise.all([this.#writer.close(), this.#reader.close()]);
      this.#instance.closeSync();
    })();
    return this.#closed;
  }

  /** Concurrent calls share one statement and one commit (group commit); each gets its own rows back. */
  upsertSides(sides: IncomingSide[]): Promise<ConnectionRecord[]> {
    return sides.length === 0 ? Promise.resolve([]) : this.#upserts.submit(sides);
  }

  /** Concurrent calls share one transaction (group commit); each gets the ids it made final, sorted. */
  async finalize(outcomes: Array<{ id: string; outcome: ConnectionOutcome }>, nowMs: number): Promise<string[]> {
    if (outcomes.length === 0) return [];
    const became = await this.#finalizes.submit(outcomes.map(({ id, outcome }) => ({ id, outcome, nowMs })));
    return became.map(({ input }) => input.id).sort();
  }

  /** From memory: one process owns the file, so its pending connections are all here. */
  async claimExpired(nowMs: number, limit: number): Promise<ConnectionRecord[]> {
    await this.#loadPending();
    return this.#join.claimExpired(nowMs, limit);
  }

  async countPending(): Promise<number> {
    await this.#loadPending();
    return this.#join.countPending();
  }

  deleteOlderThan(cutoffMs: number): Promise<number> {
    return this.#writer.exclusive((executor) =>
      this.#join.deleteOlderThan(executor, cutoffMs, (tx) => tx.run(ALERT_SQL.deleteHistoryBefore, [cutoffMs])),
    );
  }

  async summary(filter: CloseFilter, topN = DEFAULT_TOP_N): Promise<Summary> {
    const { sql, params } = summarySql(filter, topN);
    return toSummary(await this.#reader.all(sql, params));
  }

  async timeseries(filter: CloseFilter, bucketMs: number): Promise<Timeseries> {
    checkBuckets(filter, bucketMs);
    const { sql, params } = timeseriesSql(filter, bucketMs, DUCKDB_SQL.bucketStart);
    return toTimeseries(filter, bucketMs, await this.#reader.all(sql, params));
  }

  async listCloses(filter: CloseFilter, limit: number, cursor?: string | null): Promise<ClosePage> {
    const { sql, params } = listClosesSql(filter, limit, cursor);
    return toClosePage(await this.#reader.all(sql, params), limit);
  }

  async getConnection(id: string): Promise<ConnectionRecord | null> {
    // a file not migrated by this process may have no side log yet: then nothing is pending
    await this.#loadPending().catch(() => undefined);
    const pending = this.#join.pendingConnection(id);
    if (pending) return pending;
    const [row] = await withSides(this.#reader, await this.#reader.all(DUCKDB_SQL.getConnection, [id]));
    return row ? toConnectionRecord(row) : null;
  }

  async listAlertRules(): Promise<AlertRuleRecord[]> {
    return (await this.#reader.all(ALERT_SQL.listRules)).map(toAlertRule);
  }

  async getAlertRule(id: string): Promise<AlertRuleRecord | null> {
    const [row] = await this.#reader.all(ALERT_SQL.getRule, [id]);
    return row ? toAlertRule(row) : null;
  }

  async putAlertRule(rule: AlertRuleRecord): Promise<void> {
    await this.#writer.run(ALERT_SQL.putRule, [rule.id, JSON.stringify(rule.rule), rule.createdAtMs, rule.updatedAtMs]);
  }

  async deleteAlertRule(id: string): Promise<boolean> {
    return this.#writer.transaction(async (tx) => {
      await tx.run(ALERT_SQL.deleteState, [id]);
      return (await tx.run(ALERT_SQL.deleteRule, [id])) > 0;
    });
  }

  async listAlertStates(): Promise<AlertStateRecord[]> {
    return (await this.#reader.all(ALERT_SQL.listStates)).map(toAlertState);
  }

  async putAlertState(state: AlertStateRecord, history?: AlertHistoryRecord): Promise<void> {
    await this.#writer.transaction(async (tx) => {
      await tx.run(ALERT_SQL.putState, alertStateParams(state));
      if (history) await tx.run(ALERT_SQL.insertHistory, alertHistoryParams(history));
    });
  }

  async listAlertHistory(ruleId: string, limit: number): Promise<AlertHistoryRecord[]> {
    return (await this.#reader.all(ALERT_SQL.listHistory, [ruleId, limit])).map(toAlertHistory);
  }

  /** One process owns the file, so it is always the leader. */
  async tryAcquireLeadership(_name: string): Promise<boolean> {
    return true;
  }
}
