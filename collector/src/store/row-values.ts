/**
 * Column value conversion at the store boundary: DuckDB returns BIGINT as bigint and JSON as text,
 * node-postgres returns int8 as string and jsonb as parsed values.
 */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'string') return Number(value);
  throw new TypeError(`expected a numeric column value, got ${typeof value}`);
}

export function toNullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

export function fromJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function fromNullableJson<T>(value: unknown): T | null {
  return value === null || value === undefined ? null : fromJson<T>(value);
}

/** Ratio that is 0 rather than NaN for an empty denominator. */
export function ratio(part: number, total: number): number {
  return total === 0 ? 0 : part / total;
}
