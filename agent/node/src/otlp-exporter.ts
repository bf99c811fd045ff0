import { createRequire } from 'node:module';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { exporterHeaders, otlpProtocol, tracesUrl, type Env } from './otlp-target.js';

export { DEFAULT_CLOSEWATCH_ENDPOINT, INGEST_KEY_HEADER, exporterHeaders, otlpProtocol, tracesUrl } from './otlp-target.js';

/** The SDK's exporters are required only when the SDK path needs one (sdk-export.ts). */
const require = createRequire(import.meta.url);

export function createTraceExporter(env: Env = process.env): SpanExporter {
  const url = tracesUrl(env);
  const headers = exporterHeaders(env);
  const config = { ...(url ? { url } : {}), ...(headers ? { headers } : {}) };
  if (otlpProtocol(env) === 'http/json') {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter(config);
  }
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter(config);
}
