import { createRequire } from 'node:module';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { setExitSendSource } from './exit-send.js';
import type { WsInstrumentation } from './instrumentation.js';
import { createTraceExporter } from './otlp-exporter.js';
import { otlpTarget, type Env } from './otlp-target.js';
import { agentResource } from './otlp/agent-resource.js';
import { batchSettings } from './otlp/export-settings.js';
import { UnsentSpans, UnsentTrackingExporter, UnsentTrackingProcessor } from './unsent-spans.js';

/** The SDK's packages are required only on this path: the default one never loads them (11 MB of heap). */
const require = createRequire(import.meta.url);

/**
 * The batch in front of the OTLP exporter, and the record of what it has not sent yet, which the
 * `exit` hook posts synchronously (docs/design.md, "Spans at process exit").
 */
function exportPipeline(env: Env): SpanProcessor {
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const settings = batchSettings(env);
  const unsent = new UnsentSpans(settings.maxQueueSize + settings.maxExportBatchSize);
  const exporter = new UnsentTrackingExporter(createTraceExporter(env), unsent);
  const batch = new BatchSpanProcessor(exporter, settings);
  setExitSendSource(unsent, otlpTarget(env));
  return new UnsentTrackingProcessor(batch, unsent);
}

/**
 * The register path for OTLP/JSON (and with OTEL_SDK_DISABLED, which starts nothing): an OpenTelemetry
 * NodeSDK with the batch and the SDK's exporter, registered globally as it always was.
 */
export function startSdkExport(instrumentation: WsInstrumentation, env: Env): NodeSDK {
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    spanProcessors: [exportPipeline(env)],
    instrumentations: [instrumentation],
    resource: agentResource(env, false),
    // The collector takes traces only; metrics and logs would be posted to a 404.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return sdk;
}
