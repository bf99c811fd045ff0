import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full GC kept, in percent. V8's own
 * factor goes up to 4x when GC is cheap, and ingest is such a load: ~25–45 MB live grew to ~130 MB
 * of old space between full GCs, a third of the collector's RSS (`bench/ingest-memory.bench.ts`).
 */
export const HEAP_GROWING_PERCENT = 30;

/**
 * Caps the old generation's growth for the process `closewatch start` runs in, unless the flag was
 * given on the node command line (NODE_OPTIONS does not allow it). V8 reads the flag at every full
 * GC, so setting it after startup takes effect.
 */
export function limitHeapGrowth(): void {
  if (process.execArgv.some((arg) => /^--heap[-_]growing[-_]percent/.test(arg))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
