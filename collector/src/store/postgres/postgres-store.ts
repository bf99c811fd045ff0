import pg from 'pg';
import { alertHistoryParams, alertStateParams, toAlertHistory, toAlertRule, toAlertState } from '../alert-rows.js';
import { ALERT_SQL } from '../alert-sql.js';
import { toConnectionRecord } from '../connection-row.js';
import { listClosesSql, toClosePage } from '../list-closes-sql.js';
import { mergeIncoming } from '../merge-incoming.js';
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
  StoredSnapshot,
  Store,
  Summary,
  Timeseries,
} from '../store.js';
import { summarySql, toSummary } from '../summary-sql.js';
import { checkBuckets, timeseriesSql, toTimeseries } from '../timeseries-sql.js';
import { AdvisoryLeadership } from './leadership.js';
import { PostgresFleet } from './postgres-fleet.js';
import type { Fleet } from '../../fleet/fleet-store.js';
import { migratePostgres } from './migrate.js';
import { pgJson, pgText } from './pg-values.js';
import { POSTGRES_SQL } from './queries.js';
import { newestPerConnection, selectSnapshotsSql, SNAPSHOT_IDS_PER_SELECT, SNAPSHOT_SQL, snapshotParams, toStoredSnapshot } from '../snapshot-sql.js';
import { isUnavailable, toStoreError } from './unavailable.js';
import { writeHalving } from './set-aside.js';
import { errorText, Quarantine, type QuarantinedRow } from '../quarantine.js';
import type { ConnectionUpsert } from '../merge-incoming.js';
import type { OutcomeRow } from '../outcome-row.js';

type Row = Record<string, unknown>;

async function insertQuarantined(client: pg.ClientBase, rows: readonly QuarantinedRow[]): Promise<void> {
  await client.query(
    `INSERT INTO quarantine (at_ms, operation, connection_id, error, payload)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])`,
    [
      Date.now(),
      rows.map((row) => row.operation),
      rows.map((row) => pgText(row.connectionId)),
      rows.map((row) => pgText(row.error)),
      rows.map((row) => pgText(row.payload)),
    ],
  );
}

const RETENTION_TIMEOUT_MS = 10 * 60_000;

export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database`. */
  connectionString: string;
  /** Pool size. Default 10. */
  maxConnections?: number;
  /** Give up connecting after this long (then `store_unavailable`). Default 5000. */
  connectTimeoutMs?: number;
  /** Give up on a statement the server does not answer within this long (then `store_unavailable`). Default 30000. */
  queryTimeoutMs?: number;
  /** Told about errors of idle pooled connections, which would otherwise crash the process. Default: ignored. */
  onIdleError?: (error: Error) => void;
  /** Told (one line each time) when rows are set aside in the quarantine table. */
  log?: (message: string) => void;
}

/** The shared store for several collector instances: a `pg` pool plus one dedicated leadership session. */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #leadership: AdvisoryLeadership;
  /** Rows PostgreSQL refused, set aside in the `quarantine` table. */
  readonly quarantine: Quarantine;
  readonly fleet: Fleet;

  constructor({ connectionString, maxConnections = 10, connectTimeoutMs = 5000, queryTimeoutMs = 30_000, onIdleError, log }: PostgresStoreOptions) {
    this.quarantine = new Quarantine('the PostgreSQL table quarantine', log);
    const connection = { connectionString, connectionTimeoutMillis: connectTimeoutMs, keepAlive: true, keepAliveInitialDelayMillis: 10_000 };
    this.#pool = new pg.Pool({ ...connection, query_timeout: queryTimeoutMs, max: maxConnections });
    this.#pool.on('error', function poolOnIdleError(error) {
      onIdleError?.(error);
    });
    this.fleet = new PostgresFleet(this.#pool);
    this.#leadership = new AdvisoryLeadership({ ...connection, query_timeout: queryTimeoutMs });
  }

  async migrate(): Promise<void> {
    await this.#withClient((client) => migratePostgres(client, Date.now()));
  }

  async ping(): Promise<void> {
    await this.#query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.#leadership.close();
    if (!this.#pool.ended) await this.#pool.end();
  }

  async upsertSides(sides: IncomingSide[]): Promise<ConnectionRecord[]> {
    const upserts = mergeIncoming(sides);
    if (upserts.length === 0) return [];
    // an upsert can be repeated, so a half written before its other half was refused stays written
    return writeHalving(
      upserts,
      (batch) => this.#upsert(batch),
      ({ id, client, server }, error) =>
        this.#setAside({ operation: 'upsert_sides', connectionId: id, error: errorText(error), payload: JSON.stringify({ client, server }), position: null }),
    );
  }

  async #upsert(upserts: ConnectionUpsert[]): Promise<ConnectionRecord[]> {
    const rows = await this.#query(
      POSTGRES_SQL.upsertSides,
      [
        upserts.map((u) => pgText(u.id)),
        upserts.map((u) => pgText(u.traceId)),
        upserts.map((u) => pgJson(u.client)),
        upserts.map((u) => pgJson(u.server)),
        upserts.map((u) => u.joinDeadlineMs),
        upserts.map((u) => u.startTimeMs),
        upserts.map((u) => u.endTimeMs),
        upserts.map((u) => u.updatedAtMs),
      ],
      'closewatch_upsert_sides',
    );
    return rows.map(toConnectionRecord);
  }

  async finalize(outcomes: Array<{ id: string; outcome: ConnectionOutcome }>, nowMs: number): Promise<string[]> {
    const rows = toOutcomeRows(outcomes);
    if (rows.length === 0) return [];
    // each half locks its rows and returns the ids it made final
    const became = await writeHalving(
      rows,
      (batch) => this.#finalize(batch, nowMs),
      (row, error) => this.#setAsideOutcome(row, error),
    );
    return became.sort();
  }

  /**
   * An outcome PostgreSQL refuses is set aside with the row's sides; a pending row goes with it (the
   * sweeper would otherwise claim it again and again), a final row keeps its earlier outcome.
   */
  async #setAsideOutcome(row: OutcomeRow, error: unknown): Promise<void> {
    const quarantined = await this.#transaction(async (client) => {
      const { rows: found } = await client.query<{ client: unknown; server: unknown; is_final: boolean }>(
        'SELECT client, server, is_final FROM connections WHERE id = $1 FOR UPDATE',
        [pgText(row.id)],
      );
      const current = found[0];
      const payload = JSON.stringify({ outcome: row, client: current?.client ?? null, server: current?.server ?? null });
      const quarantined: QuarantinedRow = { operation: 'finalize', connectionId: row.id, error: errorText(error), payload, position: null };
      await insertQuarantined(client, [quarantined]);
      if (current && !current.is_final) await client.query('DELETE FROM connections WHERE id = $1', [pgText(row.id)]);
      return quarantined;
    });
    this.quarantine.recorded([quarantined]);
  }

  async #setAside(row: QuarantinedRow): Promise<void> {
    await this.#withClient((client) => insertQuarantined(client, [row]));
    this.quarantine.recorded([row]);
  }

  async #finalize(rows: OutcomeRow[], nowMs: number): Promise<string[]> {
    const ids = rows.map((r) => pgText(r.id));
    return this.#transaction(async (client) => {
      const locked = await client.query<{ id: string; is_final: boolean }>(POSTGRES_SQL.lockForFinalize, [ids]);
      await client.query(POSTGRES_SQL.finalize, [
        ids,
        rows.map((r) => pgText(r.cause)),
        rows.map((r) => pgJson(r.evidence)),
        rows.map((r) => pgText(r.service)),
        rows.map((r) => pgText(r.route)),
        rows.map((r) => r.code),
        rows.map((r) => pgText(r.reason)),
        rows.map((r) => pgText(r.phase)),
        rows.map((r) => pgText(r.observed_by)),
        rows.map((r) => r.start_time_ms),
        rows.map((r) => r.end_time_ms),
        rows.map((r) => r.handshake_ms),
        rows.map((r) => r.open_ms),
        rows.map((r) => pgText(r.app_protocol)),
        rows.map((r) => pgText(r.app_reason)),
        nowMs,
      ]);
      return locked.rows.filter((row) => !row.is_final).map((row) => row.id);
    });
  }

  async updateEvidence(updates: Array<{ id: string; evidence: string[] }>): Promise<void> {
    if (updates.length === 0) return;
    await writeHalving(
      updates,
      async (batch) => {
        await this.#query(POSTGRES_SQL.updateEvidence, [batch.map((u) => pgText(u.id)), batch.map((u) => pgJson(u.evidence))]);
        return [];
      },
      ({ id, evidence }, error) =>
        this.#setAside({ operation: 'update_evidence', connectionId: id, error: errorText(error), payload: JSON.stringify(evidence), position: null }),
    );
  }

  async claimExpired(nowMs: number, limit: number): Promise<ConnectionRecord[]> {
    const rows = await this.#query(POSTGRES_SQL.claimExpired, [nowMs + CLAIM_LEASE_MS, nowMs, limit], 'closewatch_claim_expired');
    return rows.map(toConnectionRecord).sort((a, b) => (a.joinDeadlineMs ?? 0) - (b.joinDeadlineMs ?? 0) || (a.id < b.id ? -1 : 1));
  }

  async countPending(): Promise<number> {
    const [row] = await this.#query(POSTGRES_SQL.countPending);
    return toNumber(row.pending);
  }

  async deleteOlderThan(cutoffMs: number): Promise<number> {
    return this.#transaction(async (client) => {
      // Retention may delete a day of rows at once; it gets longer than an ingest statement.
      const retention = { text: POSTGRES_SQL.deleteOlderThan, values: [cutoffMs], query_timeout: RETENTION_TIMEOUT_MS };
      const deleted = await client.query(retention as pg.QueryConfig);
      await client.query(ALERT_SQL.deleteHistoryBefore, [cutoffMs]);
      await client.query(SNAPSHOT_SQL.deleteBefore, [cutoffMs]);
      return deleted.rowCount ?? 0;
    }).then(async (deleted) => {
      await this.fleet.deleteOlderThan(cutoffMs);
      return deleted;
    });
  }

  async putSnapshots(snapshots: StoredSnapshot[]): Promise<void> {
    if (snapshots.length === 0) return;
    // in connection id order, so two instances writing snapshots of the same connections cannot deadlock
    const rows = newestPerConnection(snapshots).sort((a, b) => (a.connectionId < b.connectionId ? -1 : 1));
    await this.#transaction(async (client) => {
      for (const snapshot of rows) await client.query(SNAPSHOT_SQL.upsert, snapshotParams(snapshot, pgText));
    });
  }

  async getSnapshots(connectionIds: string[]): Promise<Map<string, StoredSnapshot>> {
    const found = new Map<string, StoredSnapshot>();
    for (let i = 0; i < connectionIds.length; i += SNAPSHOT_IDS_PER_SELECT) {
      const ids = connectionIds.slice(i, i + SNAPSHOT_IDS_PER_SELECT).map(pgText);
      for (const row of await this.#query(selectSnapshotsSql(ids.length), ids)) found.set(row.connection_id as string, toStoredSnapshot(row));
    }
    return found;
  }

  async summary(filter: CloseFilter, topN = DEFAULT_TOP_N): Promise<Summary> {
    const { sql, params } = summarySql(filter, topN);
    return toSummary(await this.#query(sql, params));
  }

  async timeseries(filter: CloseFilter, bucketMs: number): Promise<Timeseries> {
    checkBuckets(filter, bucketMs);
    const { sql, params } = timeseriesSql(filter, bucketMs, POSTGRES_SQL.bucketStart);
    return toTimeseries(filter, bucketMs, await this.#query(sql, params));
  }

  async listCloses(filter: CloseFilter, limit: number, cursor?: string | null): Promise<ClosePage> {
    const { sql, params } = listClosesSql(filter, limit, cursor);
    return toClosePage(await this.#query(sql, params), limit);
  }

  async getConnection(id: string): Promise<ConnectionRecord | null> {
    const [row] = await this.#query(POSTGRES_SQL.getConnection, [pgText(id)]);
    return row ? toConnectionRecord(row) : null;
  }

  async listAlertRules(): Promise<AlertRuleRecord[]> {
    return (await this.#query(ALERT_SQL.listRules)).map(toAlertRule);
  }

  async getAlertRule(id: string): Promise<AlertRuleRecord | null> {
    const [row] = await this.#query(ALERT_SQL.getRule, [id]);
    return row ? toAlertRule(row) : null;
  }

  async putAlertRule(rule: AlertRuleRecord): Promise<void> {
    await this.#query(ALERT_SQL.putRule, [rule.id, pgJson(rule.rule), rule.createdAtMs, rule.updatedAtMs]);
  }

  async deleteAlertRule(id: string): Promise<boolean> {
    return this.#transaction(async (client) => {
      await client.query(ALERT_SQL.deleteState, [id]);
      return ((await client.query(ALERT_SQL.deleteRule, [id])).rowCount ?? 0) > 0;
    });
  }

  async listAlertStates(): Promise<AlertStateRecord[]> {
    return (await this.#query(ALERT_SQL.listStates)).map(toAlertState);
  }

  async putAlertState(state: AlertStateRecord, history?: AlertHistoryRecord): Promise<void> {
    const params = alertStateParams(state);
    params[6] = pgJson(state.details);
    await this.#transaction(async (client) => {
      await client.query(ALERT_SQL.putState, params);
      if (history) await client.query(ALERT_SQL.insertHistory, alertHistoryParams(history));
    });
  }

  async listAlertHistory(ruleId: string, limit: number): Promise<AlertHistoryRecord[]> {
    return (await this.#query(ALERT_SQL.listHistory, [ruleId, limit])).map(toAlertHistory);
  }

  tryAcquireLeadership(name: string): Promise<boolean> {
    return this.#leadership.tryAcquire(name);
  }

  /** One statement on any pooled connection (autocommit: resolved means committed). */
  async #query(text: string, values: unknown[] = [], name?: string): Promise<Row[]> {
    try {
      return (await this.#pool.query<Row>({ text, values, name })).rows;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  async #withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw toStoreError(error);
    }
    let broken: Error | undefined;
    // A checked-out client has no pool listener; an unhandled 'error' would crash the process.
    const clientOnError = (error: Error) => {
      broken = error;
    };
    client.on('error', clientOnError);
    try {
      return await work(client);
    } catch (error) {
      // A connection that failed mid-use must not go back into the pool.
      if (isUnavailable(error)) broken ??= error as Error;
      throw toStoreError(error);
    } finally {
      client.removeListener('error', clientOnError);
      client.release(broken);
    }
  }

  /** BEGIN … COMMIT; resolves only after COMMIT returned, i.e. the transaction is durable. */
  #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.#withClient(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }
}
