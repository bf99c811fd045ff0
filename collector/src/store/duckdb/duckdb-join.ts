import type { DuckDBConnection } from '@duckdb/node-api';
import { mergeIncoming } from '../merge-incoming.js';
import { toOutcomeRows, type OutcomeRow } from '../outcome-row.js';
import { CLAIM_LEASE_MS } from '../store-limits.js';
import type { ConnectionOutcome, ConnectionRecord, IncomingSide } from '../store.js';
import type { DuckDbExecutor } from './duckdb-session.js';
import { FinalIdFilter, MIN_FINAL_ID_CAPACITY, scanFinalIds } from './final-id-filter.js';
import { appendFinalConnections, readFinalConnections, updateLateSides, type BecomingFinal } from './final-connections.js';
import { mergePending, pendingRecord, PendingSides, type PendingConnection } from './pending-sides.js';
import { DUCKDB_SQL } from './queries.js';
import { appendSides, deleteOldSides, readSideLog, type SideLogRow } from './side-log.js';

/** Bounds one group-commit write (about 1 KB of JSON per side). */
export const MAX_SIDES_PER_STATEMENT = 2000;

/** One outcome of a `finalize` call, as group commit passes it. */
export interface FinalizeInput {
  id: string;
  outcome: ConnectionOutcome;
  nowMs: number;
}
export interface FinalizeOutput {
  input: FinalizeInput;
  becameFinal: boolean;
}

/** The ids one caller made final, out of a group's result. */
export function finalizedOf(outputs: FinalizeOutput[], inputs: FinalizeInput[]): FinalizeOutput[] {
  const mine = new Set(inputs);
  return outputs.filter((output) => output.becameFinal && mine.has(output.input));
}

/** The rows of one caller's connections out of a group's result. */
export function recordsOf(records: ConnectionRecord[], sides: IncomingSide[]): ConnectionRecord[] {
  const ids = new Set(sides.map((s) => s.connectionId));
  return records.filter((record) => ids.has(record.id));
}

function checkSide({ connectionId, joinDeadlineMs, span }: IncomingSide): void {
  const times = { startTimeMs: span.startTimeMs, endTimeMs: span.endTimeMs, receivedAtMs: span.receivedAtMs, joinDeadlineMs: joinDeadlineMs ?? 0 };
  for (const [name, value] of Object.entries(times)) {
    if (!Number.isSafeInteger(value)) throw new RangeError(`side ${span.side} of connection ${connectionId}: ${name} must be an integer (ms), got ${value}`);
  }
}

/**
 * The join's connections on DuckDB, which one process owns: pending connections live in memory and
 * in the append-only side log, final ones are appended to `connections` once. Appends are DuckDB's
 * fast path; point upserts and updates (its slow path) are left to late sides of final rows.
 * Every method that takes an executor runs on the writer connection, one at a time.
 */
export class DuckDbJoin {
  readonly #pending = new PendingSides();
  #nextSeq = 1;
  #loaded = false;
  /** Which ids may have a final row; until a scan completes every id is looked up. */
  #finalIds = new FinalIdFilter(MIN_FINAL_ID_CAPACITY);
  /** The filter a running scan fills (finalize adds to it too). */
  #scanning: FinalIdFilter | null = null;
  #scan: Promise<void> | null = null;
  #connect: (() => Promise<DuckDBConnection>) | null = null;
  #stopped = false;

  get loaded(): boolean {
    return this.#loaded;
  }

  /** Rebuilds the pending connections from the side log (once; later calls keep the live state). */
  async load(executor: DuckDbExecutor): Promise<void> {
    if (this.#loaded) return;
    const { pending, nextSeq } = await readSideLog(executor);
    for (const connection of pending) this.#pending.set(connection);
    this.#nextSeq = nextSeq;
    this.#loaded = true;
  }

  /**
   * Starts the scan of final ids on a connection of its own (in the background: ingest looks ids up
   * until it completes); again when the filter is past its capacity. Resolves when it is done.
   */
  scanFinalIds(connect: () => Promise<DuckDBConnection>): Promise<void> {
    this.#connect = connect;
    this.#scan ??= this.#runScan(connect)
      .catch(() => undefined)
      .finally(() => {
        this.#scan = null;
        this.#scanning = null;
      });
    return this.#scan;
  }

  /** Stops a running scan (before the database closes). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#scan;
  }

  async #runScan(connect: () => Promise<DuckDBConnection>): Promise<void> {
    const connection = await connect();
    try {
      const [row] = (await connection.runAndReadAll('SELECT count(*) AS n FROM connections')).getRowObjectsJS();
      const next = new FinalIdFilter(Math.max(MIN_FINAL_ID_CAPACITY, 2 * Number(row?.n ?? 0)));
      this.#scanning = next;
      await scanFinalIds(connection, next, () => this.#stopped);
      if (next.ready) this.#finalIds = next;
    } finally {
      connection.closeSync();
    }
  }

  #addFinalId(id: string): void {
    this.#finalIds.add(id);
    this.#scanning?.add(id);
  }

  /** Appends the sides in one transaction (durable on return) and returns the merged rows. */
  async upsert(executor: DuckDbExecutor, sides: IncomingSide[]): Promise<ConnectionRecord[]> {
    await this.load(executor);
    sides.forEach(checkSide);
    const upserts = mergeIncoming(sides);
    const finals = await readFinalConnections(
      executor,
      upserts.filter((u) => !this.#pending.get(u.id) && this.#finalIds.mightContain(u.id)).map((u) => u.id),
    );
    let seq = this.#nextSeq;
    const pending: PendingConnection[] = [];
    const logRows: SideLogRow[] = [];
    const late: ConnectionRecord[] = [];
    const lateUpdatedAt = new Map<string, number>();
    for (const upsert of upserts) {
      const final = finals.get(upsert.id);
      if (final) {
        late.push({ ...final, client: upsert.client ?? final.client, server: upsert.server ?? final.server });
        lateUpdatedAt.set(upsert.id, upsert.updatedAtMs);
        continue;
      }
      const merged = mergePending(this.#pending.get(upsert.id), upsert, seq);
      if (upsert.client) {
        merged.clientSeq = seq;
        logRows.push({ seq: seq++, pending: merged, span: upsert.client });
      }
      if (upsert.server) {
        merged.serverSeq = seq;
        logRows.push({ seq: seq++, pending: merged, span: upsert.server });
      }
      pending.push(merged);
    }
    const pendingFromSeq = this.#pending.oldestSeq(this.#nextSeq);
    await executor.transaction(async (tx) => {
      if (logRows.length > 0) await appendSides(tx, logRows, pendingFromSeq);
      await updateLateSides(tx, late, lateUpdatedAt);
    });
    this.#nextSeq = seq;
    for (const connection of pending) this.#pending.set(connection);
    return [...pending.map(pendingRecord), ...late];
  }

  /**
   * Appends the final rows of pending connections and re-classifies rows already final with an
   * UPDATE; unknown ids match nothing. The last outcome given for an id wins; the first input naming
   * an id that became final gets `becameFinal` (so concurrent callers never both count it).
   */
  async finalize(executor: DuckDbExecutor, inputs: FinalizeInput[]): Promise<FinalizeOutput[]> {
    await this.load(executor);
    const first = new Map<string, FinalizeInput>();
    for (const input of inputs) if (!first.has(input.id)) first.set(input.id, input);
    const becoming: BecomingFinal[] = [];
    const reclassified: OutcomeRow[] = [];
    for (const outcome of toOutcomeRows(inputs)) {
      const pending = this.#pending.get(outcome.id);
      if (pending) becoming.push({ pending, outcome, nowMs: first.get(outcome.id)!.nowMs });
      else reclassified.push(outcome);
    }
    if (becoming.length === 0 && reclassified.length === 0) return [];
    await executor.transaction(async (tx) => {
      if (becoming.length > 0) await appendFinalConnections(tx, becoming);
      // only final rows match: finalized_at_ms is already set, so the time parameter is not used
      if (reclassified.length > 0) await tx.run(DUCKDB_SQL.finalize(reclassified.map((r) => r.id)), [JSON.stringify(reclassified), inputs[0]!.nowMs]);
    });
    for (const { pending } of becoming) {
      this.#pending.delete(pending.id);
      this.#addFinalId(pending.id);
    }
    if (this.#finalIds.count > this.#finalIds.capacity && this.#connect && !this.#stopped) void this.scanFinalIds(this.#connect);
    const became = new Set(becoming.map(({ pending }) => pending.id));
    return inputs.map((input) => ({ input, becameFinal: became.has(input.id) && first.get(input.id) === input }));
  }

  /** Pending rows past their deadline, oldest first, leased for CLAIM_LEASE_MS. */
  claimExpired(nowMs: number, limit: number): ConnectionRecord[] {
    return this.#pending.claimDue(nowMs, limit, nowMs + CLAIM_LEASE_MS);
  }

  countPending(): number {
    return this.#pending.size;
  }

  /** The pending row, or undefined when the connection is final or unknown. */
  pendingConnection(id: string): ConnectionRecord | undefined {
    const pending = this.#pending.get(id);
    return pending ? pendingRecord(pending) : undefined;
  }

  /**
   * Retention: deletes final rows and pending connections that ended before the cutoff, and their
   * side-log rows, in one transaction with `alongside`. Returns how many connections.
   */
  async deleteOlderThan(executor: DuckDbExecutor, cutoffMs: number, alongside: (tx: DuckDbExecutor) => Promise<unknown>): Promise<number> {
    await this.load(executor);
    const expired = this.#pending.endedBefore(cutoffMs);
    const pendingFromSeq = this.#pending.oldestSeq(this.#nextSeq);
    const deleted = await executor.transaction(async (tx) => {
      const finals = await tx.run(DUCKDB_SQL.deleteOlderThan, [cutoffMs]);
      await deleteOldSides(tx, pendingFromSeq, cutoffMs);
      await alongside(tx);
      return finals;
    });
    for (const id of expired) this.#pending.delete(id);
    return deleted + expired.length;
  }
}
