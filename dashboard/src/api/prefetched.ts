/** Responses `prefetch.js` started before the app loaded, keyed by URL; each can be taken once. */
export const PREFETCH_GLOBAL = '__closewatchPrefetch';

type PrefetchMap = Map<string, Promise<Response>>;

function prefetchMap(): PrefetchMap | undefined {
  return (globalThis as unknown as Record<string, PrefetchMap | undefined>)[PREFETCH_GLOBAL];
}

/** Starts GETs and remembers them for `takePrefetched`. */
export function startPrefetch(urls: string[]): void {
  const map: PrefetchMap = new Map();
  for (const url of urls) map.set(url, fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' }));
  (globalThis as unknown as Record<string, PrefetchMap>)[PREFETCH_GLOBAL] = map;
}

/** The prefetched response for `url`, if one was started and not taken yet. */
export function takePrefetched(url: string): Promise<Response> | undefined {
  const map = prefetchMap();
  const response = map?.get(url);
  map?.delete(url);
  return response;
}

/** Drops what the first page did not use, so a later visit never gets a stale response. */
export function discardPrefetched(): void {
  prefetchMap()?.clear();
}
