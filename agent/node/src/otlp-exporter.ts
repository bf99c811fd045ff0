import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { exporterHeaders, otlpProtocol, tracesUrl, type Env } from './otlp-target.js';

export { DEFAULT_CLOSEWATCH_ENDPOINT, INGEST_KEY_HEADER, exporterHeaders, otlpProtocol, tracesUrl } from './otlp-target.js';

export function createTraceExporter(env: Env = process.env): SpanExporter {
  const url = tracesUrl(env);
  const headers = exporterHeaders(env);
  const config = { ...(url ? { url } : {}), ...(headers ? { headers } : {}) };
  return otlpProtocol(env) === 'http/json' ? new OTLPJsonTraceExporter(config) : new OTLPProtoTraceExporter(config);
}
