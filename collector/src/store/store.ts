import type {
  CauseId,
  ClosePage,
  ConnectionOutcome,
  ConnectionRecord,
  Phase,
  Side,
  StoredSide,
  StoredSnapshot,
  Summary,
  Timeseries,
} from '@closewatch/conventions';
import type { Fleet } from '../fleet/fleet-store.js';
import type { Quarantine } from './quarantine.js';

// The shapes the store returns are the API's (docs/design.md, Decisions: one home for the API types).
export type {
  ClosePage,
  CloseListItem,
  ConnectionOutcome,
  ConnectionRecord,
  RateRow,
  StoredSide,
  StoredSnapshot,
  Summary,
  Timeseries,
  TimeseriesPoint,
} from '@closewatch/conventions';

/**
 * The Store contract. Two implementations (DuckDB file, PostgreSQL) pass one contract suite
 * (collector/test/store-contract.ts). Every write method resolves only after the data is durable.
 */

/**
 * A side on its way in. `connectionId` is the join key both sides compute to the same value:
 * `${traceId}-${clientSpanId}` (a server span uses its parent span id), `${traceId}-${serverSpanId}`
 * for a server span with no parent, or `${traceId}-${serverSpanId}-server` for a server span kept apart
 * from a slot another server span holds (`join/join-key.ts`).
 * `joinDeadlineMs` (on the collector's clock) is null when no peer is expected (final at once).
 */
export interface IncomingSide {
  connectionId: string;
  joinDeadlineMs: number | null;
  /**
   * The side's clock minus the collector's, estimated from its arrival alone (`join/collector-time.ts`):
   * a pending row's times are the span's minus this, so retention and time filters see collector time.
   */
  clockOffsetMs: number;
  span: StoredSide;
}

/** Query filters of the REST API; all optional except the time range. */
export interface CloseFilter {
  fromMs: number;
  toMs: number;
  service?: string;
  route?: string;
  code?: number;
  phase?: Phase;
  cause?: CauseId;
  /** `app_protocol` / `app_reason` of the outcome. */
  appProtocol?: string;
  appReason?: string;
  /** `client` = observed by the client (client or both); `server` likewise; `both` = both sides arrived. */
  side?: Side | 'both';
}

export interface AlertRuleRecord {
  id: string;
  /** The rule as validated by the alerts module (JSON-serialisable). */
  rule: Record<string, unknown>;
  createdAtMs: number;
  updatedAtMs: number;
}
export interface AlertStateRecord {
  ruleId: string;
  state: 'inactive' | 'pending' | 'firing' | 'resolved';
  sinceMs: number;
  value: number | null;
  lastEvaluatedMs: number;
  lastNotificationError: string | null;
  /** Anything else the evaluator keeps (JSON-serialisable). */
  details: Record<string, unknown>;
}
export interface AlertHistoryRecord {
  ruleId: string;
  atMs: number;
  from: AlertStateRecord['state'];
  to: AlertStateRecord['state'];
  value: number | null;
}

export interface Store {
  readonly kind: 'duckdb' | 'postgres';
  /**
   * Rows the store refused (a value its database will not take), set aside with their error instead of
   * blocking the rows behind them: DuckDB in `<dataDir>/quarantine.jsonl`, PostgreSQL in `quarantine`.
   */
  readonly quarantine: Quarantine;
  /** Agents seen, abrupt ends and mass drops (docs/design.md "Agents known", "Mass drops"); retention trims it with the connections. */
  readonly fleet: Fleet;
  /** Apply versioned schema migrations (idempotent, safe with several instances starting at once). */
  migrate(): Promise<void>;
  /** Cheap round trip for /readyz; rejects when the store is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;

  /**
   * Durably upsert sides into their connection rows (one transaction) and return the merged rows.
   * A side of the same span (same connectionId, side and span id) is replaced; a side whose slot holds
   * another span is not written (distinct spans never merge: the returned row shows the span that holds
   * it, and the caller keeps the other apart). A row already final stays final with its outcome.
   * A pending row keeps the earliest join deadline of its sides.
   */
  upsertSides(sides: IncomingSide[]): Promise<ConnectionRecord[]>;
  /**
   * Record outcomes of pending rows. Returns the ids that became final by this call (they are counted in
   * metrics by the caller); rows already final keep the outcome they were counted with.
   */
  finalize(outcomes: Array<{ id: string; outcome: ConnectionOutcome }>, nowMs: number): Promise<string[]>;
  /** Replaces the evidence of final rows (a late side's note); nothing else of a final row changes. Other ids match nothing. */
  updateEvidence(updates: Array<{ id: string; evidence: string[] }>): Promise<void>;
  /**
   * Non-final rows whose join deadline passed, oldest deadline first, claimed so that only one instance
   * finalises each. A claim is a lease (CLAIM_LEASE_MS in store-limits.ts): unfinalised rows come back after it.
   */
  claimExpired(nowMs: number, limit: number): Promise<ConnectionRecord[]>;
  /** Durably keeps the newest snapshot per connection; `count` of the input is ignored (the store counts). */
  putSnapshots(snapshots: StoredSnapshot[]): Promise<void>;
  /** The kept snapshot of each id that has one. */
  getSnapshots(connectionIds: string[]): Promise<Map<string, StoredSnapshot>>;
  /** Number of non-final rows (the join's pending gauge). */
  countPending(): Promise<number>;
  /** Delete rows whose end time is before the cutoff (and snapshots received before it); returns how many rows. */
  deleteOlderThan(cutoffMs: number): Promise<number>;

  summary(filter: CloseFilter, topN?: number): Promise<Summary>;
  timeseries(filter: CloseFilter, bucketMs: number): Promise<Timeseries>;
  /** Final connections, newest first, cursor-paged. */
  listCloses(filter: CloseFilter, limit: number, cursor?: string | null): Promise<ClosePage>;
  getConnection(id: string): Promise<ConnectionRecord | null>;

  listAlertRules(): Promise<AlertRuleRecord[]>;
  getAlertRule(id: string): Promise<AlertRuleRecord | null>;
  putAlertRule(rule: AlertRuleRecord): Promise<void>;
  deleteAlertRule(id: string): Promise<boolean>;
  listAlertStates(): Promise<AlertStateRecord[]>;
  putAlertState(state: AlertStateRecord, history?: AlertHistoryRecord): Promise<void>;
  listAlertHistory(ruleId: string, limit: number): Promise<AlertHistoryRecord[]>;
  /**
   * Leadership for singleton jobs (alert evaluation, retention). PostgreSQL: session advisory lock
   * held on a dedicated connection, released when the process dies. DuckDB: always true.
   */
  tryAcquireLeadership(name: string): Promise<boolean>;
}
