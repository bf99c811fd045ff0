import { randomUUID } from 'node:crypto';
import { RESOURCE_SERVICE_INSTANCE_ID } from '@closewatch/conventions';
import { ProxyTracerProvider, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { setExitSendSource } from './exit-send.js';
import { WsInstrumentation } from './instrumentation.js';
import { createTraceExporter } from './otlp-exporter.js';
import { otlpTarget, type Env } from './otlp-target.js';
import { UnsentSpans, UnsentTrackingExporter, UnsentTrackingProcessor } from './unsent-spans.js';
import type { WsInstrumentationConfig } from './types.js';

export interface StartedAgent {
  instrumentation: WsInstrumentation;
  /** The SDK the agent started, or undefined when the app had registered its own tracer provider. */
  sdk: NodeSDK | undefined;
}

/** True when something other than the API's no-op registered a global tracer provider. */
function hasGlobalTracerProvider(): boolean {
  const provider = trace.getTracerProvider();
  if (provider instanceof ProxyTracerProvider) return provider.getDelegate().constructor.name !== 'NoopTracerProvider';
  return true;
}

/** Spans of closed connections reach the collector within about 1 s, unless OTEL_BSP_SCHEDULE_DELAY says otherwise (docs/design.md). */
export const BATCH_DELAY_MS = 1000;
const DEFAULT_MAX_QUEUE_SIZE = 2048;
const DEFAULT_MAX_EXPORT_BATCH_SIZE = 512;

function positiveNumber(value: string | undefined): number | undefined {
  const number = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isFinite(number) && number >= 0 ? number : undefined;
}

/**
 * The batch in front of the OTLP exporter, and the record of what it has not sent yet, which the
 * `exit` hook posts synchronously (docs/design.md, "Spans at process exit").
 */
function exportPipeline(env: Env): SpanProcessor {
  const queue = positiveNumber(env.OTEL_BSP_MAX_QUEUE_SIZE) ?? DEFAULT_MAX_QUEUE_SIZE;
  const batchSize = positiveNumber(env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE) ?? DEFAULT_MAX_EXPORT_BATCH_SIZE;
  const unsent = new UnsentSpans(queue + batchSize);
  const exporter = new UnsentTrackingExporter(createTraceExporter(env), unsent);
  const delay = positiveNumber(env.OTEL_BSP_SCHEDULE_DELAY);
  const batch = new BatchSpanProcessor(exporter, delay === undefined ? { scheduledDelayMillis: BATCH_DELAY_MS } : {});
  setExitSendSource(unsent, otlpTarget(env));
  return new UnsentTrackingProcessor(batch, unsent);
}

/**
 * What `--import @closewatch/agent-node/register` runs: the ws instrumentation, plus an OpenTelemetry
 * SDK exporting traces over OTLP/HTTP unless the app already registered a tracer provider.
 */
export function startAgent(config: WsInstrumentationConfig = {}): StartedAgent {
  const instrumentation = new WsInstrumentation(config);
  if (hasGlobalTracerProvider()) {
    registerInstrumentations({ instrumentations: [instrumentation] });
    return { instrumentation, sdk: undefined };
  }
  const sdk = new NodeSDK({
    spanProcessors: [exportPipeline(process.env)],
    instrumentations: [instrumentation],
    resource: resourceFromAttributes({ [RESOURCE_SERVICE_INSTANCE_ID]: randomUUID() }),
    // The collector takes traces only; metrics and logs would be posted to a 404.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return { instrumentation, sdk };
}
