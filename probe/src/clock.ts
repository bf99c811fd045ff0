import { performance } from 'node:perf_hooks';

/** Milliseconds since the probe started, on a monotonic clock. */
export interface ProbeClock {
  now(): number;
}

export function startClock(): ProbeClock {
  const origin = performance.now();
  return { now: () => performance.now() - origin };
}

/** Durations in the report keep 0.1 ms: finer is noise, coarser hides a loopback handshake. */
export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}
