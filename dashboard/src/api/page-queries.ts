import { pickFilters } from '../state/filters.js';
import type { Route } from '../state/route.js';
import { API_BASE } from './api-base.js';

export const EXPLORER_PAGE_SIZE = 50;

/** The URL an API GET goes to; prefetch and the pages build it the same way so they can share a response. */
export function apiUrl(path: string, params?: URLSearchParams): string {
  return `${API_BASE}${path}${params && params.size > 0 ? `?${params.toString()}` : ''}`;
}

/** The Explorer's list query: the filters plus page size and cursor. */
export function closesQuery(routeParams: URLSearchParams): URLSearchParams {
  const query = pickFilters(routeParams);
  query.set('limit', String(EXPLORER_PAGE_SIZE));
  const cursor = routeParams.get('cursor');
  if (cursor) query.set('cursor', cursor);
  return query;
}

/** The GETs a page starts with, so they can be issued before the app bundle has even loaded. */
export function initialRequests(route: Route): string[] {
  const filters = pickFilters(route.params);
  switch (route.page) {
    case 'overview':
    case 'causes':
      return [apiUrl('/summary', filters), apiUrl('/timeseries', filters), apiUrl('/causes')];
    case 'explorer':
      return [apiUrl('/closes', closesQuery(route.params)), apiUrl('/causes')];
    default:
      return [];
  }
}
