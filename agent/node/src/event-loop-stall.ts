import { performance } from 'node:perf_hooks';
import { ATTR_EVENT_LOOP_STALL_MS } from '@closewatch/conventions';
import { coarseNow } from './coarse-clock.js';
import type { ConnectionRecord } from './connection-record.js';

/** A pause this long with no timer run (a blocked loop, GC, CPU starvation, SIGSTOP) is evidence; shorter ones are load. */
export const STALL_MIN_MS = 1_000;
/** A close that began this long after a stall ended is its own business. */
const STALL_WINDOW_MS = 1_000;

/** The last stall the coarse clock saw: from its last tick before to its first tick after. */
let stallStartedAt = 0;
let stallEndedAt = 0;

/** Called by each coarse-clock tick with the previous tick's time. */
export function noteTick(previousTick: number, now: number): void {
  if (now - previousTick < STALL_MIN_MS) return;
  stallStartedAt = previousTick;
  stallEndedAt = now;
}

function round(ms: number): number {
  return Math.round(ms);
}

/**
 * Records `websocket.event_loop_stall_ms` when the loop stalled around the moment the close began: the
 * close is the first work after a stall the clock has not ticked over yet, or it began during (or just
 * after) the last stall. A server that stopped sending pings while stalled is why clients gave up.
 */
export function noteEventLoopStall(record: ConnectionRecord): void {
  const now = performance.now();
  const sinceTick = now - coarseNow();
  let stallMs = 0;
  if (sinceTick >= STALL_MIN_MS) {
    stallMs = sinceTick;
  } else if (stallEndedAt !== 0) {
    const { closeSentAt, closeReceivedAt } = record;
    const began = closeSentAt !== 0 && closeReceivedAt !== 0 ? Math.min(closeSentAt, closeReceivedAt) : closeSentAt || closeReceivedAt || now;
    if (began >= stallStartedAt && began <= stallEndedAt + STALL_WINDOW_MS) stallMs = stallEndedAt - stallStartedAt;
  }
  if (stallMs >= STALL_MIN_MS) record.span.setAttribute(ATTR_EVENT_LOOP_STALL_MS, round(stallMs));
}
