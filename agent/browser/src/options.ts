import { DEFAULT_SNAPSHOT_INTERVAL_MS } from '@closewatch/conventions';

/** What `init()` accepts; the snippet reads the same from its `data-*` attributes. */
export interface AgentOptions {
  /** Collector base URL, e.g. `https://closewatch.example.com`; spans go to `<endpoint>/v1/traces`. Required. */
  endpoint: string;
  /** Public ingest key, sent as the `x-closewatch-key` header (`?key=` for beacons). Default none. */
  key?: string;
  /** `service.name` of the exported spans. Default: the page's host. */
  service?: string;
  /**
   * WebSocket URLs that get the `__cw=<traceparent>` correlation parameter: a string matches the URL's
   * hostname, its host, or a prefix of the URL; a RegExp is tested against the URL. Default: the page's hostname.
   */
  propagateTo?: Array<string | RegExp>;
  /** Share (0–1) of clean normal closes (1000, or 1005 without a code) exported; every other close is always exported. Default 1. */
  sampleRate?: number;
  /** Longest time a finished span waits before it is sent, in ms. Default 5000. */
  flushIntervalMs?: number;
  /**
   * Period of open-socket snapshots while a socket is open, in ms (at least 1000); 0 switches the
   * periodic ones off (those on hidden, freeze and offline stay). Default 60000 (conventions' DEFAULT_SNAPSHOT_INTERVAL_MS).
   */
  snapshotIntervalMs?: number;
}

export type ResolvedOptions = Required<AgentOptions>;

/** The snippet's `data-*` attributes: the same options, as text. */
export type ScriptOptions = Record<string, string | undefined>;

/**
 * Merges the defaults once, reading options given as text (the snippet's dataset) too: numbers are
 * parsed and `propagateTo` is split on commas. The endpoint is there (init() checks it).
 */
export function resolveOptions(options: AgentOptions | ScriptOptions): ResolvedOptions {
  const propagateTo = options.propagateTo;
  return {
    endpoint: (options.endpoint as string).replace(/\/+$/, ''),
    key: options.key || '',
    service: options.service || location.host,
    propagateTo: (typeof propagateTo == 'string' ? propagateTo.split(/\s*,\s*/) : propagateTo) || [location.hostname],
    sampleRate: +(options.sampleRate ?? 1),
    flushIntervalMs: +(options.flushIntervalMs as number) || 5000,
    snapshotIntervalMs: +(options.snapshotIntervalMs ?? DEFAULT_SNAPSHOT_INTERVAL_MS),
  };
}
