import { APP_PROTOCOLS, CAUSE_IDS, PHASES } from '@closewatch/conventions';

/** Query parameters shared by every page and sent to the API as they are. */
export const FILTER_KEYS = ['from', 'to', 'service', 'route', 'code', 'phase', 'cause', 'side', 'app', 'app_reason'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export const SIDE_OPTIONS = ['client', 'server', 'both'] as const;
export { APP_PROTOCOLS, CAUSE_IDS, PHASES };

export const DEFAULT_FROM = 'now-24h';

/** Preset ranges for the time picker (relative `from`, `to` = now). */
export const RANGE_PRESETS = [
  { from: 'now-15m', label: 'Last 15 minutes' },
  { from: 'now-1h', label: 'Last hour' },
  { from: 'now-6h', label: 'Last 6 hours' },
  { from: 'now-24h', label: 'Last 24 hours' },
  { from: 'now-7d', label: 'Last 7 days' },
  { from: 'now-14d', label: 'Last 14 days' },
] as const;

/** Only the filter parameters of a route, for API calls and links between pages. */
export function pickFilters(params: URLSearchParams): URLSearchParams {
  const picked = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value !== null && value !== '') picked.set(key, value);
  }
  return picked;
}

/** A copy of `params` with `key` set, or removed when `value` is empty. */
export function withParam(params: URLSearchParams, key: string, value: string | null): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value === null || value === '') next.delete(key);
  else next.set(key, value);
  return next;
}

/** True when any filter other than the time range is set. */
export function hasNarrowingFilter(params: URLSearchParams): boolean {
  return FILTER_KEYS.some((key) => key !== 'from' && key !== 'to' && (params.get(key) ?? '') !== '');
}
