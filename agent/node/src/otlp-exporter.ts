import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Where spans go when nothing is configured: a collector on this machine (docs/design.md). */
export const DEFAULT_CLOSEWATCH_ENDPOINT = 'http://127.0.0.1:4318';

type Env = Record<string, string | undefined>;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** `http/protobuf` (default) or `http/json`, from the standard OTLP variables. */
export function otlpProtocol(env: Env): 'http/protobuf' | 'http/json' {
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

/** Header carrying the collector's ingest key (`CLOSEWATCH_INGEST_KEY`); OTEL_EXPORTER_OTLP_HEADERS also works. */
export const INGEST_KEY_HEADER = 'x-closewatch-key';

/** Extra headers for the exporter: the ingest key when `CLOSEWATCH_INGEST_KEY` is set. */
export function exporterHeaders(env: Env): Record<string, string> | undefined {
  const key = nonEmpty(env.CLOSEWATCH_INGEST_KEY);
  return key ? { [INGEST_KEY_HEADER]: key } : undefined;
}

export function createTraceExporter(env: Env = process.env): SpanExporter {
  const url = tracesUrl(env);
  const headers = exporterHeaders(env);
  const config = { ...(url ? { url } : {}), ...(headers ? { headers } : {}) };
  return otlpProtocol(env) === 'http/json' ? new OTLPJsonTraceExporter(config) : new OTLPProtoTraceExporter(config);
}
