import type { StoredSide } from '../store.js';
import type { Journal } from './journal.js';
import { foldLoggedSide, type PendingConnection } from './pending-sides.js';

/**
 * A line of the side journal: one side and its connection's state after the merge (deadline, times),
 * so the newest line of a pending connection restores it; `f` is the position of the oldest line any
 * pending connection still needed when it was written: startup reads from the last line's `f`.
 */
interface SideLine {
  i: string;
  t: string;
  d: number | null;
  s: number;
  e: number;
  u: number;
  f: number;
  p: StoredSide;
}

export function sideLine(pending: PendingConnection, span: StoredSide, pendingFrom: number): string {
  const line: SideLine = {
    i: pending.id,
    t: pending.traceId,
    d: pending.joinDeadlineMs,
    s: pending.startTimeMs,
    e: pending.endTimeMs,
    u: pending.updatedAtMs,
    f: pendingFrom,
    p: span,
  };
  return JSON.stringify(line);
}

/** The side a final row points at, or null when the line is gone. */
export function sideOfLine(line: string | null): StoredSide | null {
  return line === null ? null : (JSON.parse(line) as SideLine).p;
}

/**
 * The pending connections as the journal has them: lines from the last line's `f` on, folded per
 * connection in order, minus connections that ended before the retention cutoff. The caller removes
 * the ones that have a final row.
 */
export async function readPendingSides(journal: Journal, retentionCutoffMs: number): Promise<PendingConnection[]> {
  const last = await journal.lastLine();
  if (last === null) return [];
  const byId = new Map<string, PendingConnection>();
  await journal.scan((JSON.parse(last) as SideLine).f, (text, position) => {
    const line = JSON.parse(text) as SideLine;
    foldLoggedSide(byId, { id: line.i, traceId: line.t, span: line.p, position, joinDeadlineMs: line.d, startTimeMs: line.s, endTimeMs: line.e, updatedAtMs: line.u });
  });
  return [...byId.values()].filter((pending) => pending.endTimeMs >= retentionCutoffMs);
}
