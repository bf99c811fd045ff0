import type { CauseId } from '@closewatch/conventions';
import { CollectorError } from '../errors.js';
import { closeFilterSql } from './filter-sql.js';
import { ratio, toNumber } from './row-values.js';
import { SqlParams } from './sql-params.js';
import { MAX_TIMESERIES_POINTS } from './store-limits.js';
import type { CloseFilter, Timeseries, TimeseriesPoint } from './store.js';

/** How a dialect rounds `end_time_ms` down to its bucket start (integer division differs). */
export type BucketStartSql = (bucketParam: string) => string;

function firstBucket(fromMs: number, bucketMs: number): number {
  return Math.floor(fromMs / bucketMs) * bucketMs;
}

/** Rejects buckets that are not positive integers or that would make too many points. */
export function checkBuckets(filter: CloseFilter, bucketMs: number): void {
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0) {
    throw new CollectorError('invalid_filter', `bucketMs must be a positive integer, got ${bucketMs}.`);
  }
  const points = Math.ceil((filter.toMs - firstBucket(filter.fromMs, bucketMs)) / bucketMs);
  if (points > MAX_TIMESERIES_POINTS) {
    throw new CollectorError('invalid_filter', `The range holds ${points} buckets of ${bucketMs} ms; at most ${MAX_TIMESERIES_POINTS} are allowed.`);
  }
}

/** Counts per bucket and cause, grouped in SQL; buckets start at multiples of bucketMs since the epoch. */
export function timeseriesSql(filter: CloseFilter, bucketMs: number, bucketStart: BucketStartSql): { sql: string; params: unknown[] } {
  const params = new SqlParams();
  const where = closeFilterSql(filter, params);
  const bucket = bucketStart(params.add(bucketMs));
  const sql = `
SELECT ${bucket} AS bucket, cause, count(*) AS total, count(*) FILTER (WHERE code = 1006) AS closes_1006
FROM connections
WHERE ${where}
GROUP BY 1, 2`;
  return { sql, params: params.values };
}

/** Sums the per-cause rows into points and fills the buckets that had no closes. */
export function toTimeseries(filter: CloseFilter, bucketMs: number, rows: Array<Record<string, unknown>>): Timeseries {
  const points: TimeseriesPoint[] = [];
  const byStart = new Map<number, TimeseriesPoint>();
  for (let t = firstBucket(filter.fromMs, bucketMs); t < filter.toMs; t += bucketMs) {
    const point: TimeseriesPoint = { t, total: 0, closes1006: 0, rate1006: 0, byCause: {} };
    points.push(point);
    byStart.set(t, point);
  }
  for (const row of rows) {
    const point = byStart.get(toNumber(row.bucket));
    if (!point) continue;
    const total = toNumber(row.total);
    point.total += total;
    point.closes1006 += toNumber(row.closes_1006);
    point.byCause[row.cause as CauseId] = total;
  }
  for (const point of points) point.rate1006 = ratio(point.closes1006, point.total);
  return { bucketMs, points };
}
