/** Where spans go when nothing is configured: a collector on this machine (docs/design.md). */
export const DEFAULT_CLOSEWATCH_ENDPOINT = 'http://127.0.0.1:4318';

/** Header carrying the collector's ingest key (`CLOSEWATCH_INGEST_KEY`); OTEL_EXPORTER_OTLP_HEADERS also works. */
export const INGEST_KEY_HEADER = 'x-closewatch-key';

export type Env = Record<string, string | undefined>;

export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** Everything an exporter needs to post traces: the same for the SDK's exporter and the agent's own sends. */
export interface OtlpTarget {
  url: string;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** `http/protobuf` (default) or `http/json`, from the standard OTLP variables. */
export function otlpProtocol(env: Env): OtlpProtocol {
  const protocol = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_PROTOCOL);
  return protocol === 'http/json' ? 'http/json' : 'http/protobuf';
}

/**
 * The traces URL: `CLOSEWATCH_ENDPOINT` + `/v1/traces` when set; otherwise the exporter reads
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `OTEL_EXPORTER_OTLP_ENDPOINT` itself; else the default endpoint.
 */
export function tracesUrl(env: Env): string | undefined {
  const closewatch = nonEmpty(env.CLOSEWATCH_ENDPOINT);
  if (closewatch) return `${closewatch.replace(/\/+$/, '')}/v1/traces`;
  if (nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) || nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT)) return undefined;
  return `${DEFAULT_CLOSEWATCH_ENDPOINT}/v1/traces`;
}

/** The traces URL as the OTLP exporter resolves it: the signal's own variable as is, the base one plus `/v1/traces`. */
export function resolvedTracesUrl(env: Env): string {
  const own = tracesUrl(env);
  if (own) return own;
  const traces = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (traces) return traces;
  return `${(nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT) ?? DEFAULT_CLOSEWATCH_ENDPOINT).replace(/\/+$/, '')}/v1/traces`;
}

/** Extra headers for the exporter: the ingest key when `CLOSEWATCH_INGEST_KEY` is set. */
export function exporterHeaders(env: Env): Record<string, string> | undefined {
  const key = nonEmpty(env.CLOSEWATCH_INGEST_KEY);
  return key ? { [INGEST_KEY_HEADER]: key } : undefined;
}

/** `k1=v1,k2=v2` with URL-encoded values, as the OTLP exporter specification reads its headers variables. */
function parseHeaderList(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of (value ?? '').split(',')) {
    const at = entry.indexOf('=');
    if (at <= 0) continue;
    const key = entry.slice(0, at).trim().toLowerCase();
    try {
      headers[key] = decodeURIComponent(entry.slice(at + 1).trim());
    } catch {
      // A malformed value is skipped, as the SDK skips it.
    }
  }
  return headers;
}

/** Every header the traces exporter sends: the OTLP variables (the traces one wins), then the ingest key. */
export function resolvedHeaders(env: Env): Record<string, string> {
  return { ...parseHeaderList(env.OTEL_EXPORTER_OTLP_HEADERS), ...parseHeaderList(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS), ...exporterHeaders(env) };
}

export function otlpTarget(env: Env): OtlpTarget {
  return { url: resolvedTracesUrl(env), protocol: otlpProtocol(env), headers: resolvedHeaders(env) };
}
