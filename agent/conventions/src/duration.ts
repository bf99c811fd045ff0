/** Milliseconds per duration unit, the units every Closewatch duration may use. */
export const DURATION_UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
export type DurationUnit = keyof typeof DURATION_UNIT_MS;

const DURATION = /^(\d{1,15}(?:\.\d{1,9})?)(ms|s|m|h|d|w)?$/;

export interface ParseDurationOptions {
  /** The unit of a bare number (`90` with `bareUnit: 's'` is 90 s); without it a bare number is refused. */
  bareUnit?: DurationUnit;
}

/**
 * The one duration syntax of Closewatch (CLI flags, alert rules, API parameters, configuration):
 * a non-negative decimal number and a unit, `500ms`, `2s`, `1.5m`, `1h`, `7d`, `2w`, surrounding white
 * space ignored. Returns whole milliseconds, or null when the text is not such a duration.
 */
export function parseDuration(text: string, options: ParseDurationOptions = {}): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  const unit = (match[2] ?? options.bareUnit) as DurationUnit | undefined;
  if (unit === undefined) return null;
  const ms = Math.round(Number(match[1]) * DURATION_UNIT_MS[unit]);
  return Number.isSafeInteger(ms) ? ms : null;
}
