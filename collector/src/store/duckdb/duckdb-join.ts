import type { DuckDBConnection } from '@duckdb/node-api';
import { CollectorError } from '../../errors.js';
import { isOtherSpan, mergeIncoming, type ConnectionUpsert } from '../merge-incoming.js';
import { toOutcomeRows } from '../outcome-row.js';
import { CLAIM_LEASE_MS, MAX_JOIN_WINDOW_MS } from '../store-limits.js';
import type { ConnectionOutcome, ConnectionRecord, IncomingSide } from '../store.js';
import type { DuckDbExecutor, DuckDbSession } from './duckdb-session.js';
import { FinalIdFilter, MIN_FINAL_ID_CAPACITY, scanFinalIds } from './final-id-filter.js';
import { readFinalConnections, updateLateSides, type ReadSide } from './final-connections.js';
import { finalLine, insertFinalLines, recordFinalsLoaded, type BecomingFinal } from './final-lines.js';
import type { Journal } from './journal.js';
import type { Written } from '../group-commit.js';
import { mergePending, pendingRecord, PendingSides, type PendingConnection } from './pending-sides.js';
import { DUCKDB_SQL } from './queries.js';
import { deleteOldSides, dropFinalIds, readSideLog, SIDE_RETENTION_MARGIN_MS } from './side-log.js';
import { readJournal, sideLine, sideOfLine } from './journal-lines.js';
import { jsonArrays, UnloadedFinals } from './unloaded-finals.js';
import { toNumber } from '../row-values.js';
import { errorText, type QuarantinedRow } from '../quarantine.js';
import type { QuarantineFile } from './quarantine-file.js';
import { isDuckDbDataError, writeSettingAside, type Refused } from './set-aside.js';

/** Bounds one group-commit write (about 1 KB of JSON per side). */
export const MAX_SIDES_PER_STATEMENT = 2000;
/** Final rows wait in the journal at most this long before they are loaded into `connections`… */
export const FINAL_LOAD_INTERVAL_MS = 500;
/** …or until this many are waiting. Reads load what is waiting first, so they always see every final row. */
export const FINAL_LOAD_ROWS = 4096;
/**
 * Final rows that may wait unloaded: past this (DuckDB keeps failing to load them, e.g. out of memory)
 * writes are refused with `store_unavailable` (503 + Retry-After) instead of growing memory without bound.
 */
export const MAX_UNLOADED_FINALS = 8 * FINAL_LOAD_ROWS;

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

/** A final line DuckDB refused, as it is set aside. */
function refusedFinalLine({ item, error }: Refused<Buffer>): QuarantinedRow {
  const payload = item.toString('utf8');
  let connectionId: string | null = null;
  try {
    const id = (JSON.parse(payload) as { id?: unknown }).id;
    if (typeof id === 'string') connectionId = id;
  } catch {
    // the id is unknown; the line is kept whole
  }
  return { operation: 'load_final_rows', connectionId, error: errorText(error), payload, position: null };
}

function timeProblem(name: string, value: number): string | null {
  return Number.isSafeInteger(value) ? null : `${name} must be an integer (ms), got ${value}`;
}

/** Journal lines write these times as they are: they must be integers (null when they are). */
function sideProblem(side: IncomingSide): string | null {
  return (
    timeProblem('startTimeMs', side.span.startTimeMs) ??
    timeProblem('endTimeMs', side.span.endTimeMs) ??
    timeProblem('receivedAtMs', side.span.receivedAtMs) ??
    (side.joinDeadlineMs === null ? null : timeProblem('joinDeadlineMs', side.joinDeadlineMs))
  );
}

/** The sides a journal line cannot hold, as they are set aside; null when there are none. */
function unstorableSides(sides: IncomingSide[]): QuarantinedRow[] | null {
  let refused: QuarantinedRow[] | null = null;
  for (const side of sides) {
    const problem = sideProblem(side);
    if (problem !== null) {
      (refused ??= []).push({ operation: 'upsert_sides', connectionId: side.connectionId, error: problem, payload: JSON.stringify(side.span), position: null });
    }
  }
  return refused;
}

/** A row refused by an update of final rows, as it is set aside. */
function refusedRow(operation: 'update_late_sides' | 'update_evidence', id: string, payload: unknown, error: unknown): QuarantinedRow {
  return { operation, connectionId: id, error: errorText(error), payload: JSON.stringify(payload), position: null };
}

/** The upsert without a side whose slot `held` fills with another span (distinct spans never merge). */
function withoutOtherSpans(upsert: ConnectionUpsert, held: Pick<ConnectionRecord, 'client' | 'server'> | undefined): ConnectionUpsert {
  if (!held) return upsert;
  const client = isOtherSpan(held.client, upsert.client);
  const server = isOtherSpan(held.server, upsert.server);
  if (!client && !server) return upsert;
  return { ...upsert, client: client ? null : upsert.client, server: server ? null : upsert.server };
}

interface JournalState {
  finalsLoadedThrough: number;
  legacySidesMoved: boolean;
  retentionCutoffMs: number;
}

async function readJournalState(executor: DuckDbExecutor): Promise<JournalState> {
  const [row] = await executor.all('SELECT finals_loaded_through, legacy_sides_moved, retention_cutoff_ms FROM journal_state');
  if (!row) throw new Error('journal_state is empty: the DuckDB file was not migrated');
  return {
    finalsLoadedThrough: toNumber(row.finals_loaded_through),
    legacySidesMoved: row.legacy_sides_moved === true,
    retentionCutoffMs: toNumber(row.retention_cutoff_ms),
  };
}

/**
 * The join's connections on DuckDB, which one process owns. Its durability point is one append-only
 * journal (`journal.ts`, lines in `journal-lines.ts`): a side is durable once its line is on disk (an
 * fdatasync'd append, far cheaper than a DuckDB commit of the same bytes), and so is a final row.
 * Pending connections live in memory and are rebuilt from the journal at start. Final rows are loaded
 * into DuckDB in bulk every FINAL_LOAD_INTERVAL_MS or FINAL_LOAD_ROWS, and before every read
 * (`flushFinals`); they point at their sides' lines, so each side's bytes are written once. Late sides
 * of final rows and re-classifications (both rare) update `connections` in a DuckDB transaction.
 * Writes change memory at once and are answered when durable, so the next write's CPU work overlaps
 * this one's fdatasync. `upsert`, `finalize`, `deleteOlderThan` and `load` must be called one at a
 * time (the store's write queue).
 */
export class DuckDbJoin {
  readonly #pending = new PendingSides();
  readonly #writer: DuckDbSession;
  readonly #journal: Journal;
  #loaded = false;
  /** Final rows in the journal and not yet in `connections`… */
  #unloaded = new UnloadedFinals();
  /** …and the ones a running load is loading (they count as waiting until it commits). */
  #loading: UnloadedFinals | null = null;
  /** Every final line before this journal position is in `connections`. */
  #loadedThrough = 0;
  #flushing: Promise<void> | null = null;
  #flushTimer: NodeJS.Timeout | null = null;
  /** Which ids may have a final row; until a scan completes every id is looked up. */
  #finalIds = new FinalIdFilter(MIN_FINAL_ID_CAPACITY);
  /** The filter a running scan fills (finalize adds to it too)… */
  #scanning: FinalIdFilter | null = null;
  /**
   * …and, until that filter exists, the ids it must get anyway: those waiting to load when the scan
   * began and those made final since (its snapshot of `connections` may hold neither).
   */
  #scanMisses: string[] | null = null;
  #scan: Promise<void> | null = null;
  #connect: (() => Promise<DuckDBConnection>) | null = null;
  #stopped = false;
  readonly readSide: ReadSide = async (position) => sideOfLine(await this.#journal.readLine(position));
  readonly #quarantine: QuarantineFile;
  /** Why the last load of final rows failed (DuckDB itself, not a row), until one succeeds. */
  #loadFailure: unknown = null;

  constructor(writer: DuckDbSession, journal: Journal, quarantine: QuarantineFile) {
    this.#writer = writer;
    this.#journal = journal;
    this.#quarantine = quarantine;
  }

  /** Non-null while final rows wait and the last load failed: the store cannot load (`/readyz` says so). */
  get loadFailure(): unknown {
    return this.#waitingFinals() > 0 ? this.#loadFailure : null;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  /**
   * Once: moves pending sides of the legacy side-log table to the journal, loads final lines DuckDB
   * lacks (a crash before their load), and rebuilds the pending connections (one without a deadline
   * becomes due: whoever was to finalise it did not).
   */
  async load(): Promise<void> {
    if (this.#loaded) return;
    const state = await readJournalState(this.#writer);
    if (!state.legacySidesMoved) {
      const pending = await readSideLog(this.#writer);
      const lines: string[] = [];
      const from = this.#journal.end;
      for (const connection of pending) {
        if (connection.client) lines.push(sideLine(connection, connection.client, from));
        if (connection.server) lines.push(sideLine(connection, connection.server, from));
      }
      if (lines.length > 0) await this.#journal.append(lines).durable;
      await this.#writer.run('UPDATE journal_state SET legacy_sides_moved = true');
    }
    const { pending, unloadedFinals, unreadable } = await readJournal(this.#journal, state.finalsLoadedThrough, state.retentionCutoffMs);
    await this.#quarantine.setAside(unreadable);
    const end = this.#journal.end;
    if (unloadedFinals.size > 0) await this.#loadFinalRows(unloadedFinals, end);
    this.#loadedThrough = end;
    const byId = new Map(pending.map((connection) => [connection.id, connection]));
    await dropFinalIds(this.#writer, byId);
    for (const connection of byId.values()) {
      // no deadline: whoever was to finalise it did not; a later one than any window: written on a sender's clock
      connection.joinDeadlineMs = Math.min(connection.joinDeadlineMs ?? connection.updatedAtMs, connection.updatedAtMs + MAX_JOIN_WINDOW_MS);
      this.#pending.set(connection);
    }
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
        this.#scanMisses = null;
      });
    return this.#scan;
  }

  /** Stops a running scan and the load timer, and loads the final rows waiting in the journal (before the database closes). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    await this.#scan;
    // rows left in the journal are loaded at the next start
    await this.flushFinals().catch(() => undefined);
  }

  async #runScan(connect: () => Promise<DuckDBConnection>): Promise<void> {
    const misses = [...this.#unloaded.ids(), ...(this.#loading?.ids() ?? [])];
    this.#scanMisses = misses;
    const connection = await connect();
    try {
      const [row] = (await connection.runAndReadAll('SELECT count(*) AS n FROM connections')).getRowObjectsJS();
      const next = new FinalIdFilter(Math.max(MIN_FINAL_ID_CAPACITY, 2 * Number(row?.n ?? 0)));
      for (const id of misses) next.add(id);
      this.#scanning = next;
      this.#scanMisses = null;
      await scanFinalIds(connection, next, () => this.#stopped);
      if (next.ready) this.#finalIds = next;
    } finally {
      connection.closeSync();
    }
  }

  #addFinalId(id: string): void {
    this.#finalIds.add(id);
    if (this.#scanning) this.#scanning.add(id);
    else this.#scanMisses?.push(id);
  }

  /** Loads every final row waiting in the journal into `connections` (one transaction). Concurrent callers share a load. */
  async flushFinals(): Promise<void> {
    if (this.#flushing) await this.#flushing.catch(() => undefined);
    if (this.#waitingFinals() === 0) return;
    this.#flushing ??= this.#loadFinals().finally(() => {
      this.#flushing = null;
    });
    await this.#flushing;
  }

  async #loadFinals(): Promise<void> {
    // every final line before `through` is in `loading`; DuckDB gets them only once they are on disk,
    // so the recorded position never runs past what a crash leaves in the journal
    const loading = this.#unloaded.take();
    this.#loading = loading;
    const through = this.#journal.end;
    try {
      await this.#journal.whenDurable(through);
      await this.#loadFinalRows(loading, through);
      this.#loadedThrough = through;
      this.#loadFailure = null;
      loading.release();
    } catch (error) {
      this.#unloaded.restore(loading);
      this.#loadFailure = error;
      throw error;
    } finally {
      this.#loading = null;
    }
  }

  /**
   * Inserts final lines into `connections` and records `through`, in one transaction. A line DuckDB
   * refuses (e.g. text it cannot parse) is set aside in the quarantine file and the others are loaded.
   */
  async #loadFinalRows(finals: UnloadedFinals, through: number): Promise<void> {
    try {
      await this.#writer.transaction(async (tx) => {
        await insertFinalLines(tx, finals.json());
        await recordFinalsLoaded(tx, through);
      });
      return;
    } catch (error) {
      if (!isDuckDbDataError(error)) throw error;
    }
    await writeSettingAside(this.#writer, finals.lines(), {
      write: (tx, lines) => insertFinalLines(tx, jsonArrays(lines)),
      after: (tx) => recordFinalsLoaded(tx, through),
      setAside: (refused) => this.#quarantine.setAside(refused.map(refusedFinalLine)),
    });
  }

  /** Final rows not yet committed to `connections` (waiting or being loaded). */
  #waitingFinals(): number {
    return this.#unloaded.size + (this.#loading?.size ?? 0);
  }

  #isUnloaded(id: string): boolean {
    return this.#unloaded.has(id) || this.#loading?.has(id) === true;
  }

  #scheduleLoad(): void {
    if (this.#stopped || this.#unloaded.size === 0) return;
    if (this.#unloaded.size >= FINAL_LOAD_ROWS) {
      void this.flushFinals().catch(() => undefined);
      return;
    }
    this.#flushTimer ??= setTimeout(() => {
      this.#flushTimer = null;
      void this.flushFinals()
        .catch(() => undefined)
        .finally(() => this.#scheduleLoad());
    }, FINAL_LOAD_INTERVAL_MS).unref();
  }

  /** Refuses writes while too many final rows wait: each load is tried once more first. */
  async #checkBacklog(): Promise<void> {
    if (this.#waitingFinals() < MAX_UNLOADED_FINALS) return;
    try {
      await this.flushFinals();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new CollectorError(
        'store_unavailable',
        `${this.#waitingFinals()} final rows wait in the journal and DuckDB cannot load them (${detail}); ingest resumes once it can.`,
        { cause: error },
      );
    }
  }

  /** Final rows among the ids (loading waiting final rows first when one of them is waiting). */
  async #finalRows(ids: string[]): Promise<Map<string, ConnectionRecord>> {
    if (ids.some((id) => this.#isUnloaded(id))) await this.flushFinals();
    return readFinalConnections(this.#writer, this.readSide, ids);
  }

  /** Sets aside sides whose times cannot be journaled (ingest never sends them) and returns the others. */
  async #setAsideSides(sides: IncomingSide[], refused: QuarantinedRow[]): Promise<IncomingSide[]> {
    await this.#quarantine.setAside(refused);
    return sides.filter((side) => sideProblem(side) === null);
  }

  /** Late sides go into their final rows; one DuckDB refuses is set aside and its row stays as it was. */
  async #updateLateSides(late: ConnectionRecord[], updatedAtMs: Map<string, number>): Promise<ConnectionRecord[]> {
    const refused = await writeSettingAside(this.#writer, late, {
      write: (tx, records) => updateLateSides(tx, records, updatedAtMs),
      setAside: (rows) =>
        this.#quarantine.setAside(rows.map(({ item, error }) => refusedRow('update_late_sides', item.id, { client: item.client, server: item.server }, error))),
    });
    if (refused.length === 0) return late;
    const left = new Set(refused.map(({ item }) => item));
    return late.filter((record) => !left.has(record));
  }

  /** The oldest journal position startup must read from: a pending connection's first side line. */
  #pendingFrom(): number {
    return this.#pending.oldestPos(this.#journal.end);
  }

  /**
   * Appends the sides to the journal and returns the merged rows, durable once `durable` resolves.
   * Memory changes at once (the next write may start); if the journal fails it fails every later write.
   */
  async upsert(sides: IncomingSide[]): Promise<Written<ConnectionRecord>> {
    await this.load();
    await this.#checkBacklog();
    const unstorable = unstorableSides(sides);
    if (unstorable !== null) sides = await this.#setAsideSides(sides, unstorable);
    const upserts = mergeIncoming(sides);
    const finals = await this.#finalRows(
      upserts.filter((u) => !this.#pending.get(u.id) && (this.#isUnloaded(u.id) || this.#finalIds.mightContain(u.id))).map((u) => u.id),
    );
    const pendingFrom = this.#pendingFrom();
    const merged: PendingConnection[] = [];
    /** Which merged connection and side each journal line belongs to. */
    const lineOwners: Array<{ connection: PendingConnection; side: 'client' | 'server' }> = [];
    const lines: string[] = [];
    const late: ConnectionRecord[] = [];
    /** Rows this call left as they were (its sides belong elsewhere): returned so callers see who holds the slot. */
    const kept: ConnectionRecord[] = [];
    const lateUpdatedAt = new Map<string, number>();
    for (const candidate of upserts) {
      const final = finals.get(candidate.id);
      // a side whose slot holds another span is not written: the caller keeps it apart
      const upsert = final ? withoutOtherSpans(candidate, final) : withoutOtherSpans(candidate, this.#pending.get(candidate.id));
      if (upsert.client === null && upsert.server === null) {
        kept.push(final ?? pendingRecord(this.#pending.get(upsert.id)!));
        continue;
      }
      if (final) {
        late.push({ ...final, client: upsert.client ?? final.client, server: upsert.server ?? final.server });
        lateUpdatedAt.set(upsert.id, upsert.updatedAtMs);
        continue;
      }
      // a new connection's first position is its first line's, known once appended
      const connection = mergePending(this.#pending.get(upsert.id), upsert, -1);
      for (const side of ['client', 'server'] as const) {
        const span = upsert[side];
        if (!span) continue;
        lines.push(sideLine(connection, span, pendingFrom));
        lineOwners.push({ connection, side });
      }
      merged.push(connection);
    }
    let durable: Promise<void> = Promise.resolve();
    if (lines.length > 0) {
      const appended = this.#journal.append(lines);
      const { positions } = appended;
      durable = appended.durable;
      lineOwners.forEach(({ connection, side }, i) => {
        connection[side === 'client' ? 'clientPos' : 'serverPos'] = positions[i]!;
        if (connection.firstPos < 0) connection.firstPos = positions[i]!;
      });
    }
    const lateStored = late.length > 0 ? await this.#updateLateSides(late, lateUpdatedAt) : late;
    for (const connection of merged) this.#pending.set(connection);
    return { outputs: [...merged.map(pendingRecord), ...lateStored, ...kept], durable };
  }

  /**
   * Makes pending connections final (their rows go to the journal, durable once `durable` resolves);
   * rows already final keep their outcome and unknown ids match nothing. The last outcome given for an
   * id wins; the first input naming an id that became final gets `becameFinal` (so concurrent callers
   * never both count it).
   */
  async finalize(inputs: FinalizeInput[]): Promise<Written<FinalizeOutput>> {
    await this.load();
    const first = new Map<string, FinalizeInput>();
    for (const input of inputs) if (!first.has(input.id)) first.set(input.id, input);
    const becoming: BecomingFinal[] = [];
    for (const outcome of toOutcomeRows(inputs)) {
      const pending = this.#pending.get(outcome.id);
      if (pending) becoming.push({ pending, outcome, nowMs: first.get(outcome.id)!.nowMs });
    }
    let durable: Promise<void> = Promise.resolve();
    if (becoming.length > 0) {
      // after the side lines it points at, in the same file: they are on disk before it is
      const pendingFrom = this.#pendingFrom();
      const lines = becoming.map((final) => finalLine(final, pendingFrom));
      durable = this.#journal.append(lines).durable;
      for (const [i, { pending }] of becoming.entries()) {
        this.#pending.delete(pending.id);
        this.#unloaded.add(pending.id, lines[i]!);
        this.#addFinalId(pending.id);
      }
      durable.then(
        () => this.#scheduleLoad(),
        () => undefined,
      );
    }
    if (this.#finalIds.count > this.#finalIds.capacity && this.#connect && !this.#stopped) void this.scanFinalIds(this.#connect);
    const became = new Set(becoming.map(({ pending }) => pending.id));
    return { outputs: inputs.map((input) => ({ input, becameFinal: became.has(input.id) && first.get(input.id) === input })), durable };
  }

  /** Replaces the evidence of final rows (a late side's note, rare): an UPDATE once waiting rows are loaded. */
  async updateEvidence(updates: Array<{ id: string; evidence: string[] }>): Promise<void> {
    if (updates.length === 0) return;
    await this.load();
    if (updates.some((u) => this.#isUnloaded(u.id))) await this.flushFinals();
    await writeSettingAside(this.#writer, updates, {
      write: async (tx, batch) => {
        await tx.run(DUCKDB_SQL.updateEvidence(batch.map((u) => u.id)), [JSON.stringify(batch)]);
      },
      setAside: (refused) => this.#quarantine.setAside(refused.map(({ item, error }) => refusedRow('update_evidence', item.id, item.evidence, error))),
    });
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
   * Retention: deletes final rows and pending connections that ended before the cutoff in one
   * transaction with `alongside` (and records the cutoff, so a restart does not bring pending ones
   * back), then side-journal segments no pending connection needs that were last written a margin
   * before the cutoff. Returns how many connections.
   */
  async deleteOlderThan(cutoffMs: number, alongside: (tx: DuckDbExecutor) => Promise<unknown>): Promise<number> {
    await this.load();
    await this.flushFinals();
    const expired = this.#pending.endedBefore(cutoffMs);
    const deleted = await this.#writer.transaction(async (tx) => {
      const finals = await tx.run(DUCKDB_SQL.deleteOlderThan, [cutoffMs]);
      // the legacy side-log table only shrinks: nothing pending is left in it
      await deleteOldSides(tx, Number.MAX_SAFE_INTEGER, cutoffMs);
      await tx.run('UPDATE journal_state SET retention_cutoff_ms = greatest(retention_cutoff_ms, $1)', [cutoffMs]);
      await alongside(tx);
      return finals;
    });
    for (const id of expired) this.#pending.delete(id);
    const needed = Math.min(this.#pendingFrom(), this.#loadedThrough);
    await this.#journal.deleteSegments(async (segment) => {
      if (segment.start + segment.size > needed) return false;
      const modifiedAtMs = await this.#journal.modifiedAtMs(segment);
      return modifiedAtMs !== null && modifiedAtMs < cutoffMs - SIDE_RETENTION_MARGIN_MS;
    });
    return deleted + expired.length;
  }
}
