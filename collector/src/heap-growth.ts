import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full GC kept, in percent. V8's own
 * factor goes up to 4x when GC is cheap, and ingest is such a load: ~25–45 MB live grew to ~130 MB
 * of old space between full GCs, a third of the collector's RSS (`bench/ingest-memory.bench.ts`).
 */
export const HEAP_GROWING_PERCENT = 30;

/**
 * The young generation (V8's `new_space`, both semi-spaces) `closewatch start` lets V8 grow to: half
 * of V8's 32 MB on 64-bit. Ingest keeps it full: the other 16 MB were 16 MB of RSS, for ~5% of ingest
 * throughput (more scavenges). See `bench/ingest-memory.bench.ts`.
 */
export const NEW_SPACE_BYTES = 8 * 1024 * 1024;

const HEAP_GROWING_FLAG = /^--heap[-_]growing[-_]percent/;
const SEMI_SPACE_FLAGS = /--(max|min)[-_]semi[-_]space[-_]size|--semi[-_]space[-_]growth[-_]factor/;

function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

/**
 * The growth factor that takes the young generation from `size` straight to NEW_SPACE_BYTES at its
 * next growth, or 1 (no growth) once it is there. V8 grows it by this factor when a scavenge finds
 * many survivors, reads the flag at every growth, and shrinks it again after idle periods.
 */
export function semiSpaceGrowthFactor(size: number): number {
  if (size <= 0) return 2; // no statistics: V8's default
  return size >= NEW_SPACE_BYTES ? 1 : Math.max(2, Math.floor(NEW_SPACE_BYTES / size));
}

/**
 * Bounds V8's heap for the process `closewatch start` runs in: the old generation's growth (V8 reads
 * the flag at every full GC) and the young generation's size. `--max-semi-space-size` only works on
 * the command line, so the young generation is steered after every GC through its growth factor (GC
 * entries reach the observer a little later, so when V8 grows it twice before that, it ends one growth
 * past the cap; seen once in a test on a busy machine). Flags given on the command line or in NODE_OPTIONS win.
 */
export function limitHeapGrowth(): void {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (!given.some((arg) => HEAP_GROWING_FLAG.test(arg))) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  if (given.some((arg) => SEMI_SPACE_FLAGS.test(arg))) return;
  let factor = 0;
  const steer = () => {
    const next = semiSpaceGrowthFactor(newSpaceBytes());
    if (next === factor) return;
    setFlagsFromString(`--semi-space-growth-factor=${next}`);
    factor = next;
  };
  steer();
  new PerformanceObserver(steer).observe({ entryTypes: ['gc'] });
}
