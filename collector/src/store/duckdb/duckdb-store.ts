import type { DuckDBInstance } from '@duckdb/node-api';
import { CollectorError } from '../../errors.js';
import { alertHistoryParams, alertStateParams, toAlertHistory, toAlertRule, toAlertState } from '../alert-rows.js';
import { ALERT_SQL } from '../alert-sql.js';
import { toConnectionRecord } from '../connection-row.js';
import { listClosesSql, toClosePage } from '../list-closes-sql.js';
import { toOutcomeRows } from '../outcome-row.js';
import { toNumber } from '../row-values.js';
import { CLAIM_LEASE_MS, DEFAULT_TOP_N } from '../store-limits.js';
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
import { DuckDbSession } from './duckdb-session.js';
import { GroupCommit } from './group-commit.js';
import { migrateDuckDb } from './migrate.js';
import { openDuckDbFile } from './open-duckdb.js';
import { DUCKDB_SQL } from './queries.js';
import { MAX_SIDES_PER_STATEMENT, recordsOf, upsertConnections } from './upsert-connections.js';

/**
 * The embedded store: one DuckDB file owned by this process. Writes go through one connection in
 * call order; queries use a second connection so a long aggregate never delays ingest.
 */
export class DuckDbStore implements Store {
  readonly kind = 'duckdb' as const;
  /** Absolute path of the database file. */
  readonly path: string;
  readonly #instance: DuckDBInstance;
  readonly #writer: DuckDbSession;
  readonly #reader: DuckDbSession;
  #closed: Promise<void> | null = null;
  readonly #upserts: GroupCommit<IncomingSide, ConnectionRecord>;

  private constructor(instance: DuckDBInstance, path: string, writer: DuckDbSession, reader: DuckDbSession) {
    this.#instance = instance;
    this.path = path;
    this.#writer = writer;
    this.#reader = reader;
    this.#upserts = new GroupCommit(writer, { write: upsertConnections, select: recordsOf, maxInputs: MAX_SIDES_PER_STATEMENT });
  }

  /** Opens (creating if needed) `<dataDir>/closewatch.duckdb`; call `migrate()` before use. */
  static async open(dataDir: string): Promise<DuckDbStore> {
    const { instance, path } = await openDuckDbFile(dataDir);
    const writer = new DuckDbSession(await instance.connect());
    const reader = new DuckDbSession(await instance.connect());
    return new DuckDbStore(instance, path, writer, reader);
  }

  migrate(): Promise<void> {
    return migrateDuckDb(this.#writer, Date.now());
  }

  async ping(): Promise<void> {
    if (this.#closed) throw new CollectorError('store_unavailable', `The DuckDB store at ${this.path} is closed.`);
    await this.#reader.all('SELECT 1');
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      await Promise.all([this.#writer.close(), this.#reader.close()]);
      this.#instance.closeSync();
    })();
    return this.#closed;
  }

  /** Concurrent calls share one statement and one commit (group commit); each gets its own rows back. */
  upsertSides(sides: IncomingSide[]): Promise<ConnectionRecord[]> {
    return sides.length === 0 ? Promise.resolve([]) : this.#upserts.submit(sides);
  }

  async finalize(outcomes: Array<{ id: string; outcome: ConnectionOutcome }>, nowMs: number): Promise<string[]> {
    const rows = toOutcomeRows(outcomes);
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    return this.#writer.transaction(async (tx) => {
      const flags = await tx.all(DUCKDB_SQL.finalFlags(ids));
      await tx.run(DUCKDB_SQL.finalize(ids), [JSON.stringify(rows), nowMs]);
      return flags.filter((row) => row.is_final !== true).map((row) => row.id as string).sort();
    });
  }

  async claimExpired(nowMs: number, limit: number): Promise<ConnectionRecord[]> {
    // One writer connection in call order: no other claim can run between the two statements.
    const rows = await this.#writer.exclusive(async (executor) => {
      const due = await executor.all(DUCKDB_SQL.dueIds, [nowMs, limit]);
      return due.length === 0 ? [] : executor.all(DUCKDB_SQL.claim(due.map((row) => row.id as string)), [nowMs + CLAIM_LEASE_MS]);
    });
    return rows.map(toConnectionRecord).sort((a, b) => (a.joinDeadlineMs ?? 0) - (b.joinDeadlineMs ?? 0) || (a.id < b.id ? -1 : 1));
  }

  async countPending(): Promise<number> {
    const [row] = await this.#reader.all(DUCKDB_SQL.countPending);
    return toNumber(row.pending);
  }

  async deleteOlderThan(cutoffMs: number): Promise<number> {
    return this.#writer.transaction(async (tx) => {
      const deleted = await tx.run(DUCKDB_SQL.deleteOlderThan, [cutoffMs]);
      await tx.run(ALERT_SQL.deleteHistoryBefore, [cutoffMs]);
      return deleted;
    });
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
    const [row] = await this.#reader.all(DUCKDB_SQL.getConnection, [id]);
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
