import { randomUUID } from 'node:crypto';
import { RESOURCE_SERVICE_INSTANCE_ID } from '@closewatch/conventions';
import { ProxyTracerProvider, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { setExitSendSource } from './exit-send.js';
import { setOwnExport } from './flush-spans.js';
import { WsInstrumentation } from './instrumentation.js';
import { createTraceExporter } from './otlp-exporter.js';
import { otlpProtocol, otlpTarget, type Env } from './otlp-target.js';
import { sdkDisabled, startOwnExport } from './otlp/own-export.js';
import type { OtlpSpanQueue } from './otlp/span-queue.js';
import { UnsentSpans, UnsentTrackingExporter, UnsentTrackingProcessor } from './unsent-spans.js';
import type { WsInstrumentationConfig } from './types.js';

export interface StartedAgent {
  instrumentation: WsInstrumentation;
  /** The SDK the agent started (OTLP/JSON only), or undefined. */
  sdk: NodeSDK | undefined;
  /** The agent's own export (OTLP/protobuf, the default), or undefined when the app had its own tracer provider. */
  spans: OtlpSpanQueue | undefined;
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
 * What `--import @closewatch/agent-node/register` runs: the ws instrumentation and, unless the app
 * already registered a tracer provider, an export of its spans over OTLP/HTTP: the agent's own for
 * protobuf (compact spans, no SDK span objects: docs/design.md, "The agent's own export"), an
 * OpenTelemetry SDK for OTLP/JSON. Neither registers a global tracer provider for the app's own spans
 * but the SDK, as it always did.
 */
export function startAgent(config: WsInstrumentationConfig = {}, env: Env = process.env): StartedAgent {
  const instrumentation = new WsInstrumentation(config);
  if (hasGlobalTracerProvider()) {
    registerInstrumentations({ instrumentations: [instrumentation] });
    return { instrumentation, sdk: undefined, spans: undefined };
  }
  if (otlpProtocol(env) === 'http/protobuf' && !sdkDisabled(env)) {
    const { tracerProvider, queue } = startOwnExport(env);
    registerInstrumentations({ instrumentations: [instrumentation], tracerProvider });
    setOwnExport(queue);
    return { instrumentation, sdk: undefined, spans: queue };
  }
  const sdk = new NodeSDK({
    spanProcessors: [exportPipeline(env)],
    instrumentations: [instrumentation],
    resource: resourceFromAttributes({ [RESOURCE_SERVICE_INSTANCE_ID]: randomUUID() }),
    // The collector takes traces only; metrics and logs would be posted to a 404.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return { instrumentation, sdk, spans: undefined };
}
