import { DiagConsoleLogger, diag } from '@opentelemetry/api';
import { diagLogLevelFromString } from '@opentelemetry/core';
import { setExitSendSource } from '../exit-send.js';
import { setOwnExport } from '../flush-spans.js';
import { otlpTarget, type Env } from '../otlp-target.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version.js';
import { agentResource, immediateAttributes, settledAttributes } from './agent-resource.js';
import { CompactTracer, CompactTracerProvider } from './compact-tracer.js';
import { EncodingSink } from './encoding-sink.js';
import { samplerFromEnv } from './env-sampler.js';
import { batchSettings, spanLimits } from './export-settings.js';
import { OtlpHttpSender } from './otlp-http-sender.js';
import { encodeMessage } from './proto-writer.js';
import { encodeResource, encodeScope } from './span-encoder.js';
import { OtlpSpanQueue } from './span-queue.js';

/** True when OTEL_SDK_DISABLED says so: then the register path starts nothing, as the NodeSDK does. */
export function sdkDisabled(env: Env): boolean {
  return env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
}

/**
 * The register path's own export (docs/design.md, "The agent's own export"): compact spans encoded
 * straight to OTLP protobuf, batched and posted with the SDK exporter's behaviour (span-queue.ts,
 * otlp-http-sender.ts), and handed to the `exit` hook when the process leaves with spans unsent.
 */
export function startOwnExport(env: Env): { tracerProvider: CompactTracerProvider; queue: OtlpSpanQueue } {
  const level = env.OTEL_LOG_LEVEL?.trim();
  if (level) diag.setLogger(new DiagConsoleLogger(), { logLevel: diagLogLevelFromString(level) });
  const target = otlpTarget(env);
  const resource = agentResource(env);
  const queue = new OtlpSpanQueue({
    ...batchSettings(env),
    resource: settledAttributes(resource).then((attributes) => encodeMessage((writer) => encodeResource(writer, attributes))),
    provisionalResource: encodeMessage((writer) => encodeResource(writer, immediateAttributes(resource))),
    scope: encodeMessage((writer) => encodeScope(writer, PACKAGE_NAME, PACKAGE_VERSION)),
    sender: OtlpHttpSender.forTarget(target, env),
  });
  const tracer = new CompactTracer(new EncodingSink(queue), spanLimits(env), samplerFromEnv(env));
  // Where flushSpans (signals, beforeExit, shutdownGracefully) and the exit hook find what is unsent.
  setOwnExport(queue);
  setExitSendSource(queue, target);
  return { tracerProvider: new CompactTracerProvider(tracer), queue };
}
