import { normalizeRoute, scrubUrl, type RoutePattern } from '@closewatch/conventions';

export interface UrlAttributes {
  url: string;
  route: string;
}

/** Most distinct URLs remembered; a fleet's URLs repeat, and the cache is dropped whole when full. */
const MAX_CACHED_URLS = 1024;
const cache = new Map<string, UrlAttributes>();
let cachedFor: { secretParams?: string[]; routePatterns?: RoutePattern[] } = {};

/**
 * `url.full` (scrubbed) and `websocket.route` of a URL, computed once per distinct URL: scrubbing
 * and route normalisation are the agent's most expensive steps per connection.
 */
export function urlAttributes(url: string, path: string, secretParams?: string[], routePatterns?: RoutePattern[]): UrlAttributes {
  if (cachedFor.secretParams !== secretParams || cachedFor.routePatterns !== routePatterns) {
    cache.clear();
    cachedFor = { secretParams, routePatterns };
  }
  let attributes = cache.get(url);
  if (attributes === undefined) {
    if (cache.size >= MAX_CACHED_URLS) cache.clear();
    attributes = { url: scrubUrl(url, { secretParams }), route: normalizeRoute(path, { patterns: routePatterns }) };
    cache.set(url, attributes);
  }
  return attributes;
}
