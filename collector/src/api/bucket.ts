import { parseDuration } from '@closewatch/conventions';
import { CollectorError } from '../errors.js';

/** Bucket sizes the API picks from when the request names none (ms). */
export const BUCKET_STEPS_MS = [10_000, 30_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 604_800_000];
/** Enough points for a readable chart at 1280 px without shipping a point per pixel. */
export const TARGET_BUCKETS = 120;
/** Upper bound for an explicit `bucket`: keeps one response small whatever the caller asks. */
export const MAX_BUCKETS = 2_000;

/** Bucket size for a range: explicit (`bucket=5m` or ms) within MAX_BUCKETS, else the smallest step giving ≤ TARGET_BUCKETS. */
export function chooseBucketMs(fromMs: number, toMs: number, bucket: string | undefined): number {
  const rangeMs = toMs - fromMs;
  if (bucket === undefined) {
    return BUCKET_STEPS_MS.find((step) => rangeMs / step <= TARGET_BUCKETS) ?? Math.ceil(rangeMs / TARGET_BUCKETS);
  }
  const ms = /^\d{1,12}$/.test(bucket) ? Number(bucket) : parseDuration(bucket);
  if (ms === null || ms < 1_000) {
    throw new CollectorError('invalid_filter', `Invalid bucket=${JSON.stringify(bucket)}: expected a duration of at least 1s (10s, 5m, 1h, 1d) or ms.`);
  }
  if (rangeMs / ms > MAX_BUCKETS) {
    throw new CollectorError('invalid_filter', `Invalid bucket=${JSON.stringify(bucket)}: the range would need more than ${MAX_BUCKETS} buckets.`);
  }
  return ms;
}
