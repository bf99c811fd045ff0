import { CollectorError } from '../errors.js';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const RELATIVE = /^now(?:-(\d{1,6})([smhdw]))?$/;
const EPOCH_MS = /^\d{1,15}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Duration like `90s`, `5m`, `1h`, `7d`, `2w` in ms, or null when it is not one. */
export function parseDurationMs(text: string): number | null {
  const match = /^(\d{1,6})([smhdw])$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

/**
 * A point in time from a query parameter: ISO 8601, ms since the epoch, or relative to now
 * (`now`, `now-15m`, `now-24h`, `now-7d`). Throws `invalid_filter` naming the parameter otherwise.
 */
export function parseTimeParam(name: string, text: string, nowMs: number): number {
  const relative = RELATIVE.exec(text);
  if (relative) {
    if (relative[1] === undefined) return nowMs;
    return nowMs - Number(relative[1]) * UNIT_MS[relative[2]!]!;
  }
  if (EPOCH_MS.test(text)) return Number(text);
  if (ISO_8601.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return ms;
  }
  throw new CollectorError(
    'invalid_filter',
    `Invalid ${name}=${JSON.stringify(text)}: expected ISO 8601, milliseconds since the epoch, or now-<n><s|m|h|d|w>.`,
  );
}
