import type { Classification, Side } from '@closewatch/conventions';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';
import type { ConnectionOutcome, ConnectionRecord, Store } from '../store/store.js';

/**
 * The late-side rule: a final connection keeps the outcome it was counted with, in `/metrics` and in
 * the API alike, so both always agree per cause whatever the arrival order. A side that arrives after
 * its connection was counted is stored with it, adds one evidence line saying what the classifier
 * makes of both sides, and is counted in `closewatch_join_late_sides_total` (raise `joinWindowMs` when
 * that grows with `cause_differs="true"`).
 */

const LATE_NOTE = /^Late (?:client|server) side: /;

/** The side of a final row its counted outcome did not see (null when it saw every side the row holds). */
export function lateSideOf(record: ConnectionRecord): Side | null {
  const observedBy = record.outcome?.observedBy;
  if (observedBy === 'client' && record.server !== null) return 'server';
  if (observedBy === 'server' && record.client !== null) return 'client';
  return null;
}

function secondsAfter(fromMs: number | null, toMs: number): string {
  return fromMs === null ? '' : ` ${(Math.max(0, toMs - fromMs) / 1000).toFixed(1)} s`;
}

/** The evidence line of a late side: when it came, and what both sides together say. */
export function lateSideNote(record: ConnectionRecord, side: Side, counted: ConnectionOutcome, withBoth: Classification): string {
  const arrived = `Late ${side} side: it arrived${secondsAfter(record.finalizedAtMs, record[side]!.receivedAtMs)} after this connection was counted as ${counted.cause}`;
  if (withBoth.cause === counted.cause) return `${arrived}; with both sides the cause is the same.`;
  const why = withBoth.evidence[0] ? ` (${withBoth.evidence[0].replace(/\.$/, '')})` : '';
  return `${arrived}; with both sides the cause would be ${withBoth.cause}${why}. The count stands as ${counted.cause}.`;
}

export interface LateSideDeps {
  store: Store;
  metrics: CollectorMetrics;
}

/**
 * Adds the late-side note to final rows that hold a side their outcome did not see (a retried side
 * their outcome already saw changes nothing), and counts each late side once.
 */
export async function attachLateSides(deps: LateSideDeps, finals: ConnectionRecord[], classify: (record: ConnectionRecord) => Classification): Promise<void> {
  const updates: Array<{ id: string; evidence: string[] }> = [];
  for (const record of finals) {
    const side = lateSideOf(record);
    const counted = record.outcome;
    if (side === null || counted === null) continue;
    const withBoth = classify(record);
    const note = lateSideNote(record, side, counted, withBoth);
    const earlier = counted.evidence.filter((line) => !LATE_NOTE.test(line));
    if (earlier.length === counted.evidence.length) {
      deps.metrics.joinLateSidesTotal.inc({ side, cause_differs: String(withBoth.cause !== counted.cause) });
    }
    if (counted.evidence.at(-1) !== note) updates.push({ id: record.id, evidence: [...earlier, note] });
  }
  await deps.store.updateEvidence(updates);
}
