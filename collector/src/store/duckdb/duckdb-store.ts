import { dirname, join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { CollectorError } from '../../errors.js';
import { alertHistoryParams, alertStateParams, toAlertHistory, toAlertRule, toAlertState } from '../alert-rows.js';
import { ALERT_SQL } from '../alert-sql.js';
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
  StoredSnapshot,
  Summary,
  Timeseries,
} from '../store.js';
import { summarySql, toSummary } from '../summary-sql.js';
import { checkBuckets, timeseriesSql, toTimeseries } from '../timeseries-sql.js';
import { DuckDbJoin, finalizedOf, MAX_SIDES_PER_STATEMENT, recordsOf, type FinalizeInput, type FinalizeOutput } from './duckdb-join.js';
import { DuckDbSession } from './duckdb-session.js';
import { DuckDbFleet } from './duckdb-fleet.js';
import { readFinalConnections } from './final-connections.js';
import { GroupCommit } from '../group-commit.js';
import { Journal } from './journal.js';
import { migrateDuckDb } from './migrate.js';
import { openDuckDbFile, type DuckDbFileOptions } from './open-duckdb.js';
import { DUCKDB_SQL } from './queries.js';
import { newestPerConnection, selectSnapshotsSql, SNAPSHOT_IDS_PER_SELECT, SNAPSHOT_SQL, snapshotParams, toStoredSnapshot } from '../snapshot-sql.js';
import { SerialQueue } from './serial-queue.js';
import { errorText, Quarantine } from '../quarantine.js';
import { QUARANTINE_FILE, QuarantineFile } from './quarantine-file.js';

export interface DuckDbStoreOptions extends DuckDbFileOptions {
  /** Journal segment size (tests: small segments to exercise retention); default SEGMENT_BYTES. */
  journalSegmentBytes?: number;
  /** Told (one line each time) when rows are set aside in the quarantine file. */
  log?: (message: string) => void;
}

/** Opens the journal in `<dataDir>/journal/`, naming the path in any failure. */
async function openJournal(dataDir: string, segmentBytes?: number): Promise<Journal> {
  const dir = join(dataDir, 'journal');
  try {
    return await Journal.open(dir, { segmentBytes });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CollectorError('store_unavailable', `Cannot open the DuckDB store's journal at ${dir}: ${detail}`, { cause: error });
  }
}

/**
 * The embedded store: one DuckDB file owned by this process, and its journal. Ingest writes are
 * durable in the journal (`DuckDbJoin`); DuckDB writes go through one connection in call order;
 * queries use a second connection so a long aggregate never delays ingest, and first load the final
 * rows still waiting in the journal. Pending connections are rebuilt by `migrate()`.
 */
export class DuckDbStore implements Store {
  readonly kind = 'duckdb' as const;
  /** Absolute path of the database file. */
  readonly path: string;
  readonly #instance: DuckDBInstance;
  readonly #writer: DuckDbSession;
  readonly #reader: DuckDbSession;
  #closed: Promise<void> | null = null;
  readonly #join: DuckDbJoin;
  readonly #journal: Journal;
  /** Ingest writes (upserts, finalizes, retention) run one at a time, in call order. */
  readonly #writes = new SerialQueue();
  #finalIdsScan: Promise<void> | null = null;
  readonly #upserts: GroupCommit<IncomingSide, ConnectionRecord>;
  readonly #finalizes: GroupCommit<FinalizeInput, FinalizeOutput>;
  /** Rows DuckDB refused, set aside in `<dataDir>/quarantine.jsonl`. */
  readonly quarantine: Quarantine;
  readonly fleet: DuckDbFleet;

  private constructor(instance: DuckDBInstance, path: string, writer: DuckDbSession, reader: DuckDbSession, journal: Journal, log?: (message: string) => void) {
    this.#instance = instance;
    this.path = path;
    this.#writer = writer;
    this.#reader = reader;
    this.#journal = journal;
    this.fleet = new DuckDbFleet(writer);
    const quarantinePath = join(dirname(path), QUARANTINE_FILE);
    this.quarantine = new Quarantine(quarantinePath, log);
    this.#join = new DuckDbJoin(writer, journal, new QuarantineFile(quarantinePath, this.quarantine));
    const run = (task: () => Promise<void>) => this.#writes.run(task);
    // the serial queue already runs one write at a time; each group is taken when its write starts
    const shared = { run, maxWeight: MAX_SIDES_PER_STATEMENT, maxInFlight: Infinity };
    this.#upserts = new GroupCommit({ ...shared, write: (sides) => this.#join.upsert(sides), select: recordsOf });
    this.#finalizes = new GroupCommit({ ...shared, write: (inputs) => this.#join.finalize(inputs), select: finalizedOf });
  }

  /** Opens (creating if needed) `<dataDir>/closewatch.duckdb`; call `migrate()` before use. */
  static async open(dataDir: string, options: DuckDbStoreOptions = {}): Promise<DuckDbStore> {
    const { instance, path } = await openDuckDbFile(dataDir, options);
    let journal: Journal;
    try {
      journal = await openJournal(dirname(path), options.journalSegmentBytes);
    } catch (error) {
      instance.closeSync();
      throw error;
    }
    const writer = new DuckDbSession(await instance.connect());
    const reader = new DuckDbSession(await instance.connect());
    return new DuckDbStore(instance, path, writer, reader, journal, options.log);
  }

  /**
   * Applies migrations, then rebuilds the pending connections from the side log (first call only)
   * and starts the background scan of final ids (see `finalIdsScanned`).
   */
  async migrate(): Promise<void> {
    await migrateDuckDb(this.#writer, Date.now());
    await this.fleet.loadFromFile(this.#reader);
    await this.#writes.run(() => this.#join.load());
    this.#finalIdsScan ??= this.#join.scanFinalIds(() => this.#instance.connect());
  }

  /** Resolves when the scan of final ids started by `migrate()` is done (until then ingest looks every new id up). */
  /** Pending connections are read from the side log before first use, also when `migrate()` was not called. */
  async #loadPending(): Promise<void> {
    if (!this.#join.loaded) await this.#writes.run(() => this.#join.load());
  }

  async finalIdsScanned(): Promise<void> {
    await this.#finalIdsScan;
  }

  async ping(): Promise<void> {
    if (this.#closed) throw new CollectorError('store_unavailable', `The DuckDB store at ${this.path} is closed.`);
    const failure = this.#journal.failure;
    if (failure !== null) {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- whatever DuckDB threw, as its text
      const detail = failure instanceof Error ? failure.message : String(failure);
      throw new CollectorError('store_unavailable', `The DuckDB store's journal at ${dirname(this.path)}/journal failed (${detail}); restart the collector.`);
    }
    const loadFailure = this.#join.loadFailure;
    if (loadFailure !== null) {
      throw new CollectorError('store_unavailable', `DuckDB at ${this.path} cannot load the final rows waiting in its journal (${errorText(loadFailure)}).`);
    }
    await this.#reader.all('SELECT 1');
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#writes.run(() => this.#join.stop());
      await this.#journal.close();
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

  updateEvidence(updates: Array<{ id: string; evidence: string[] }>): Promise<void> {
    return this.#writes.run(() => this.#join.updateEvidence(updates));
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

  async deleteOlderThan(cutoffMs: number): Promise<number> {
    const deleted = await this.#writes.run(() =>
      this.#join.deleteOlderThan(cutoffMs, async (tx) => {
        await tx.run(ALERT_SQL.deleteHistoryBefore, [cutoffMs]);
        return tx.run(SNAPSHOT_SQL.deleteBefore, [cutoffMs]);
      }),
    );
    await this.fleet.deleteOlderThan(cutoffMs);
    return deleted;
  }

  /** In DuckDB itself (one commit per call), not the journal: snapshots are few next to sides (one a minute per open socket). */
  putSnapshots(snapshots: StoredSnapshot[]): Promise<void> {
    if (snapshots.length === 0) return Promise.resolve();
    return this.#writes.run(() =>
      this.#writer.transaction(async (tx) => {
        for (const snapshot of newestPerConnection(snapshots)) await tx.run(SNAPSHOT_SQL.upsert, snapshotParams(snapshot));
      }),
    );
  }

  async getSnapshots(connectionIds: string[]): Promise<Map<string, StoredSnapshot>> {
    const found = new Map<string, StoredSnapshot>();
    for (let i = 0; i < connectionIds.length; i += SNAPSHOT_IDS_PER_SELECT) {
      const ids = connectionIds.slice(i, i + SNAPSHOT_IDS_PER_SELECT);
      for (const row of await this.#reader.all(selectSnapshotsSql(ids.length), ids)) found.set(row.connection_id as string, toStoredSnapshot(row));
    }
    return found;
  }

  /** Reads see every final row: the ones still waiting in the journal are loaded first (503 when DuckDB cannot). */
  async #readable(): Promise<void> {
    await this.#loadPending().catch(() => undefined);
    await this.#join.flushFinals().catch((error: unknown) => {
      throw new CollectorError('store_unavailable', `DuckDB at ${this.path} cannot load the final rows waiting in its journal (${errorText(error)}).`, {
        cause: error,
        retryAfterSeconds: 5,
      });
    });
  }

  async summary(filter: CloseFilter, topN = DEFAULT_TOP_N): Promise<Summary> {
    const { sql, params } = summarySql(filter, topN);
    await this.#readable();
    return toSummary(await this.#reader.all(sql, params));
  }

  async timeseries(filter: CloseFilter, bucketMs: number): Promise<Timeseries> {
    checkBuckets(filter, bucketMs);
    const { sql, params } = timeseriesSql(filter, bucketMs, DUCKDB_SQL.bucketStart);
    await this.#readable();
    return toTimeseries(filter, bucketMs, await this.#reader.all(sql, params));
  }

  async listCloses(filter: CloseFilter, limit: number, cursor?: string | null): Promise<ClosePage> {
    const { sql, params } = listClosesSql(filter, limit, cursor);
    await this.#readable();
    return toClosePage(await this.#reader.all(sql, params), limit);
  }

  async getConnection(id: string): Promise<ConnectionRecord | null> {
    // a file not migrated by this process may have no side log yet: then nothing is pending
    await this.#loadPending().catch(() => undefined);
    const pending = this.#join.pendingConnection(id);
    if (pending) return pending;
    await this.#readable();
    return (await readFinalConnections(this.#reader, this.#join.readSide, [id])).get(id) ?? null;
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
  tryAcquireLeadership(_name: string): Promise<boolean> {
    return Promise.resolve(true);
  }
}
