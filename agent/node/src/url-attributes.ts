import { normalizeRoute, scrubUrl, type RoutePattern } from '@closewatch/conventions';

export interface UrlAttributes {
  url: string;
  route: string;
}

/** What one Host header of upgrade requests resolves to, and the URL attributes of the paths seen with it. */
export interface HostAttributes {
  /** `ws://host` or `wss://host`. */
  origin: string;
  address: string;
  port: number | undefined;
  paths: Map<string, UrlAttributes>;
}

/** Most distinct URLs remembered; a fleet's URLs repeat, and the caches are dropped whole when full. */
const MAX_CACHED_URLS = 1024;
const cache = new Map<string, UrlAttributes>();
const hostCaches = { ws: new Map<string, HostAttributes>(), wss: new Map<string, HostAttributes>() };
let cachedPaths = 0;
let cachedFor: { secretParams?: string[]; routePatterns?: RoutePattern[] } = {};

function forgetWhenConfigChanged(secretParams?: string[], routePatterns?: RoutePattern[]): void {
  if (cachedFor.secretParams === secretParams && cachedFor.routePatterns === routePatterns) return;
  cache.clear();
  hostCaches.ws.clear();
  hostCaches.wss.clear();
  cachedPaths = 0;
  cachedFor = { secretParams, routePatterns };
}

/**
 * `url.full` (scrubbed) and `websocket.route` of a URL, computed once per distinct URL: scrubbing
 * and route normalisation are the agent's most expensive steps per connection.
 */
export function urlAttributes(url: string, path: string, secretParams?: string[], routePatterns?: RoutePattern[]): UrlAttributes {
  forgetWhenConfigChanged(secretParams, routePatterns);
  let attributes = cache.get(url);
  if (attributes === undefined) {
    if (cache.size >= MAX_CACHED_URLS) cache.clear();
    attributes = { url: scrubUrl(url, { secretParams }), route: normalizeRoute(path, { patterns: routePatterns }) };
    cache.set(url, attributes);
  }
  return attributes;
}

/** `host:port` or `[v6]:port` → address and port (undefined without one). */
function splitHost(origin: string, host: string): HostAttributes {
  const colon = host.lastIndexOf(':');
  if (colon < 0 || colon < host.lastIndexOf(']')) return { origin, address: host, port: undefined, paths: new Map() };
  const port = Number(host.slice(colon + 1));
  return { origin, address: host.slice(0, colon), port: Number.isInteger(port) && colon < host.length - 1 ? port : undefined, paths: new Map() };
}

/** The Host header of an upgrade request, split once per distinct header value. */
export function upgradeHost(encrypted: boolean, host: string, secretParams?: string[], routePatterns?: RoutePattern[]): HostAttributes {
  forgetWhenConfigChanged(secretParams, routePatterns);
  const hosts = encrypted ? hostCaches.wss : hostCaches.ws;
  let hostAttributes = hosts.get(host);
  if (hostAttributes === undefined) {
    if (hosts.size >= MAX_CACHED_URLS) hosts.clear();
    hostAttributes = splitHost(`${encrypted ? 'wss' : 'ws'}://${host}`, host);
    hosts.set(host, hostAttributes);
  }
  return hostAttributes;
}

/** The URL attributes of `path` requested with this Host: no URL string is built for a path seen before. */
export function upgradeUrlAttributes(host: HostAttributes, path: string, secretParams?: string[], routePatterns?: RoutePattern[]): UrlAttributes {
  let attributes = host.paths.get(path);
  if (attributes === undefined) {
    if (cachedPaths >= MAX_CACHED_URLS) {
      for (const hosts of [hostCaches.ws, hostCaches.wss]) for (const seen of hosts.values()) seen.paths.clear();
      cachedPaths = 0;
    }
    attributes = { url: scrubUrl(`${host.origin}${path}`, { secretParams }), route: normalizeRoute(path, { patterns: routePatterns }) };
    host.paths.set(path, attributes);
    cachedPaths++;
  }
  return attributes;
}
