import { randomUUID } from 'node:crypto';
import { RESOURCE_SERVICE_INSTANCE_ID } from '@closewatch/conventions';
import { ProxyTracerProvider, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { WsInstrumentation } from './instrumentation.js';
import { createTraceExporter } from './otlp-exporter.js';
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
    traceExporter: createTraceExporter(),
    instrumentations: [instrumentation],
    resource: resourceFromAttributes({ [RESOURCE_SERVICE_INSTANCE_ID]: randomUUID() }),
    // The collector takes traces only; metrics and logs would be posted to a 404.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return { instrumentation, sdk };
}
