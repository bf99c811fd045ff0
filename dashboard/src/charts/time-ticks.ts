/** Tick steps for time axes: round wall-clock intervals (ms). */
const STEPS_MS = [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 604_800_000];

/** The smallest round step that keeps a time axis to about `maxTicks` labels. */
export function timeTickStep(rangeMs: number, maxTicks: number): number {
  return STEPS_MS.find((step) => rangeMs / step <= maxTicks) ?? Math.ceil(rangeMs / maxTicks);
}

/** Tick positions at multiples of `step` (in local time for steps of a day or less) within [min, max]. */
export function timeTicks(min: number, max: number, step: number): number[] {
  const offset = step <= 86_400_000 ? new Date(min).getTimezoneOffset() * 60_000 : 0;
  const ticks: number[] = [];
  for (let t = Math.ceil((min - offset) / step) * step + offset; t <= max; t += step) ticks.push(t);
  return ticks;
}
