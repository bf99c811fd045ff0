/**
 * One figure of a benchmark. A bench prints each as one line (`reportFigure`); `npm run bench`
 * (scripts/run-benches.mjs) collects the lines of every bench into bench/REPORT.md (protocol: bench/README.md).
 */
export interface BenchFigure {
  /** What was measured, in words: `message round trips with the agent on the server`. */
  name: string;
  /** The measured value (absent when the ratio is the figure, e.g. a CPU-time ratio). */
  value?: number;
  unit?: string;
  /** The same measure without the thing under test, in the same run; or the budget a size is held to. */
  baseline?: number;
  /** What the baseline is: `no agent`, `parse-only ceiling`, `300 MB budget`. */
  baselineLabel?: string;
  /** The figure the target reads: value / baseline unless the bench says otherwise. */
  ratio: number;
  /** The target, on the ratio, on the value, or both (met when every bound given holds); null when there is none. */
  target: { op: '>=' | '<='; ratio?: number; value?: number } | null;
  /** One line of context (rounds, spread, sizes). */
  note?: string;
}

/** The prefix of a figure line on a bench's stdout. */
export const BENCH_FIGURE_PREFIX = 'CLOSEWATCH_BENCH_FIGURE ';

/** Prints one figure for the bench runner (one line of JSON after BENCH_FIGURE_PREFIX). */
export function reportFigure(figure: BenchFigure): void {
  console.log(`${BENCH_FIGURE_PREFIX}${JSON.stringify(figure)}`);
}

/** True under `npm run bench -- --quick`: every bench sizes itself to run in under a minute. */
export function benchIsQuick(): boolean {
  return process.env.CLOSEWATCH_BENCH_QUICK === '1';
}

/** `quick` under --quick, else `full`. */
export function quickOr<T>(quick: T, full: T): T {
  return benchIsQuick() ? quick : full;
}
