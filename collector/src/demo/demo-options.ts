import { parseDuration } from '@closewatch/conventions';

/** What `closewatch demo` runs, merged once from defaults and the command line. */
export interface DemoOptions {
  /** Collector to report to; null = use the one on `port`, starting it there when none answers. */
  collectorUrl: string | null;
  /** Port of the collector the demo starts or reuses when `collectorUrl` is null. Default 4318. */
  port: number;
  /** DuckDB data directory of a collector the demo starts; null = the collector's own default. */
  dataDir: string | null;
  /** PostgreSQL store of a collector the demo starts; null = DuckDB. */
  databaseUrl: string | null;
  /** Ingest key sent with the spans, for collectors that require one. Default none. */
  key: string | null;
  /** How long new connections are started, in ms. Default 60 s. */
  durationMs: number;
  /** New connections per second. Default 5. */
  rate: number;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = {
  collectorUrl: null,
  port: 4318,
  dataDir: null,
  databaseUrl: null,
  key: null,
  durationMs: 60_000,
  rate: 5,
};

/** Bounds that keep a demo a demo: at most an hour, at most 100 connections a second. */
export const MAX_DURATION_S = 3600;
export const MAX_RATE = 100;

/** A bad option value; the message names the option. */
export class DemoOptionError extends Error {
  override name = 'DemoOptionError';
}

function positiveNumber(option: string, raw: string, max: number, unit: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new DemoOptionError(`--${option} must be a positive number of ${unit}, got ${JSON.stringify(raw)}`);
  }
  if (value > max) throw new DemoOptionError(`--${option} must be at most ${max} ${unit}, got ${raw}`);
  return value;
}

export function parseDemoDuration(raw: string): number {
  const ms = parseDuration(raw, { bareUnit: 's' });
  if (ms === null || ms <= 0) throw new DemoOptionError(`--duration must be a positive duration such as 90s, 2m or 90 (seconds), got ${JSON.stringify(raw)}`);
  if (ms > MAX_DURATION_S * 1000) throw new DemoOptionError(`--duration must be at most ${MAX_DURATION_S / 60}m, got ${raw}`);
  return ms;
}

export function parseRate(raw: string): number {
  return positiveNumber('rate', raw, MAX_RATE, 'connections per second');
}

export function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new DemoOptionError(`--port must be a TCP port (1-65535), got ${JSON.stringify(raw)}`);
  return port;
}

/** An http(s) collector base URL without a trailing slash. */
export function parseCollectorUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DemoOptionError(`--collector must be a URL such as http://127.0.0.1:4318, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DemoOptionError(`--collector must be an http:// or https:// URL, got ${JSON.stringify(raw)}`);
  }
  if (url.search || url.hash) throw new DemoOptionError(`--collector takes the collector's base URL, without query or fragment: ${JSON.stringify(raw)}`);
  return url.toString().replace(/\/+$/, '');
}
