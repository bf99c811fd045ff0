import { parseDuration } from '@closewatch/conventions';
import { CollectorError } from '../errors.js';

const RELATIVE = /^now(?:-(.+))?$/;
const EPOCH_MS = /^\d{1,15}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A point in time from a query parameter: ISO 8601, ms since the epoch, or relative to now
 * (`now`, `now-15m`, `now-24h`, `now-7d`). Throws `invalid_filter` naming the parameter otherwise.
 */
export function parseTimeParam(name: string, text: string, nowMs: number): number {
  const relative = RELATIVE.exec(text);
  const ago = relative?.[1] === undefined ? 0 : parseDuration(relative[1]);
  if (relative && ago !== null) return nowMs - ago;
  if (EPOCH_MS.test(text)) return Number(text);
  if (ISO_8601.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return ms;
  }
  throw new CollectorError(
    'invalid_filter',
    `Invalid ${name}=${JSON.stringify(text)}: expected ISO 8601, milliseconds since the epoch, or now-<duration> (now-15m, now-1.5h, now-7d).`,
  );
}
