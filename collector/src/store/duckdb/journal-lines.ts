import { errorText, type QuarantinedRow } from '../quarantine.js';
import type { StoredSide } from '../store.js';
import type { Journal } from './journal.js';
import { foldLoggedSide, type PendingConnection } from './pending-sides.js';
import { decodeSide, encodeSide } from './side-codec.js';
import { UnloadedFinals } from './unloaded-finals.js';

/**
 * The journal holds two kinds of line. A side line: one side and its connection's state after the
 * merge (deadline, times), so the newest line of a pending connection restores it. A final line
 * (`final-lines.ts`): the `connections` row of a connection that became final. Both carry `f`, the
 * position of the oldest side line any pending connection still needed when it was written: startup
 * reads from the last line's `f`. One file keeps them in order: a final line is after the side lines
 * it points at, and a side line whose `f` has moved past a connection is after that connection's final line.
 */
export interface SideLine {
  i: string;
  t: string;
  /** Deadline, start, end and update times: absolute in `c` and `p` lines, offsets from `s` in `r` lines. */
  d: number | null;
  s: number;
  e: number;
  u: number;
  f: number;
  /** The side as `encodeSide` writes it, its times offsets from `s`. */
  r?: unknown;
  /** The side as `encodeSide` wrote it before offsets (absolute times). */
  c?: unknown;
  /** The side as an object (lines written before the compact form). */
  p?: StoredSide;
}

/**
 * One object literal in a fixed key order (a spread or a built-up object serialises slower). Every
 * time but the connection's start is an offset from it: small numbers serialise faster (side-codec.ts).
 */
export function sideLine(pending: PendingConnection, span: StoredSide, pendingFrom: number): string {
  const base = pending.startTimeMs;
  return JSON.stringify({
    i: pending.id,
    t: pending.traceId,
    d: pending.joinDeadlineMs === null ? null : pending.joinDeadlineMs - base,
    s: base,
    e: pending.endTimeMs - base,
    u: pending.updatedAtMs - base,
    f: pendingFrom,
    r: encodeSide(span, pending.traceId, base),
  });
}

function sideOf(line: SideLine): StoredSide {
  if (line.r !== undefined) return decodeSide(line.r, line.t, line.s);
  return line.c === undefined ? line.p! : decodeSide(line.c, line.t, null);
}

/** The side of a side line, checked where a damaged line would otherwise pass as pending state. */
function readableSide(line: SideLine): StoredSide {
  const side = sideOf(line);
  if (typeof line.i !== 'string' || typeof line.t !== 'string' || !Number.isSafeInteger(line.s) || !Number.isSafeInteger(side.endTimeMs)) {
    throw new TypeError('a side line without its connection id, trace id or times');
  }
  return side;
}

/** The connection's state a side line carries, in absolute times whatever the line's form. */
function stateOf(line: SideLine): { joinDeadlineMs: number | null; startTimeMs: number; endTimeMs: number; updatedAtMs: number } {
  const base = line.r === undefined ? 0 : line.s;
  return { joinDeadlineMs: line.d === null ? null : line.d + base, startTimeMs: line.s, endTimeMs: line.e + base, updatedAtMs: line.u + base };
}

/** The keys of a final line this module reads. */
interface FinalLineKeys {
  id: string;
  f: number;
}

/** The side a final row points at, or null when the line is gone (or cannot be read: it was set aside at startup). */
export function sideOfLine(line: string | null): StoredSide | null {
  if (line === null) return null;
  try {
    return sideOf(JSON.parse(line) as SideLine);
  } catch {
    return null;
  }
}

/** The `f` of a line, or null when it cannot be read. */
function pendingFromOf(line: string): number | null {
  try {
    const f = (JSON.parse(line) as { f?: unknown }).f;
    return typeof f === 'number' && Number.isSafeInteger(f) && f >= 0 ? f : null;
  } catch {
    return null;
  }
}

/** What the journal says at startup: the pending connections and the final lines DuckDB lacks. */
export interface JournalReading {
  pending: PendingConnection[];
  /** Final lines at or after `finalsLoadedThrough`, oldest first. */
  unloadedFinals: UnloadedFinals;
  /** Lines that are not a side or a final line (damaged): skipped, to be set aside. */
  unreadable: QuarantinedRow[];
}

/**
 * Reads the journal from the oldest line startup needs: the last line's `f` (the oldest side of a
 * connection then pending) or `finalsLoadedThrough` (final lines before it are in DuckDB), whichever
 * is older. Side lines are folded per connection in order; a final line ends its connection's
 * pending state; connections that ended before the retention cutoff are dropped. The caller removes
 * pending ones that have a final row in DuckDB (their final line is older than the read). A line that
 * cannot be read is skipped and returned in `unreadable`; when it is the last line, the whole journal
 * is read (its `f` is unknown).
 */
export async function readJournal(journal: Journal, finalsLoadedThrough: number, retentionCutoffMs: number): Promise<JournalReading> {
  const last = await journal.lastLine();
  const unloadedFinals = new UnloadedFinals();
  const unreadable: QuarantinedRow[] = [];
  if (last === null) return { pending: [], unloadedFinals, unreadable };
  const pendingFrom = pendingFromOf(last) ?? 0;
  const byId = new Map<string, PendingConnection>();
  await journal.scan(Math.min(pendingFrom, finalsLoadedThrough), (text, position) => {
    try {
      const line = JSON.parse(text) as SideLine | FinalLineKeys;
      if ('i' in line) {
        if (position >= pendingFrom) foldLoggedSide(byId, { id: line.i, traceId: line.t, span: readableSide(line), position, ...stateOf(line) });
        return;
      }
      if (typeof line.id !== 'string') throw new TypeError('neither a side line nor a final line');
      byId.delete(line.id);
      if (position >= finalsLoadedThrough) unloadedFinals.add(line.id, text);
    } catch (error) {
      unreadable.push({ operation: 'read_journal', connectionId: null, error: errorText(error), payload: text, position });
    }
  });
  return { pending: [...byId.values()].filter((pending) => pending.endTimeMs >= retentionCutoffMs), unloadedFinals, unreadable };
}
