import { ProxyTracerProvider, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import { WsInstrumentation } from './instrumentation.js';
import { otlpProtocol, type Env } from './otlp-target.js';
import { sdkDisabled, startOwnExport } from './otlp/own-export.js';
import type { OtlpSpanQueue } from './otlp/span-queue.js';
import { startSdkExport } from './sdk-export.js';
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
    return { instrumentation, sdk: undefined, spans: queue };
  }
  return { instrumentation, sdk: startSdkExport(instrumentation, env), spans: undefined };
}
