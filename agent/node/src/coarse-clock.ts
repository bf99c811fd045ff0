import { performance } from 'node:perf_hooks';
import { noteTick } from './event-loop-stall.js';

/** How stale `coarseNow()` may be; `websocket.idle_before_close_ms` is this precise for data frames. */
export const COARSE_CLOCK_MS = 50;

let now = performance.now();
let timer: NodeJS.Timeout | undefined;

function tick(): void {
  const previous = now;
  now = performance.now();
  noteTick(previous, now);
}

/**
 * `performance.now()` as of the last tick: message counting runs per frame, and reading the clock
 * there cost more than the counting itself.
 */
export function coarseNow(): number {
  return now;
}

/** Ticks while the agent has connections to time; unref'd, so it never keeps the process alive. */
export function startCoarseClock(): void {
  if (timer) return;
  now = performance.now();
  timer = setInterval(tick, COARSE_CLOCK_MS);
  timer.unref();
}

export function stopCoarseClock(): void {
  clearInterval(timer);
  timer = undefined;
}
