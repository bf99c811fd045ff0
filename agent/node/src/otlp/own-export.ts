import { DiagConsoleLogger, diag } from '@opentelemetry/api';
import { diagLogLevelFromString } from '@opentelemetry/core';
import { setExitSendSource } from '../exit-send.js';
import { otlpTarget, type Env } from '../otlp-target.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version.js';
import { agentResource, immediateAttributes, settledAttributes } from './agent-resource.js';
import type { CompactSpanLimits } from './compact-span.js';
import { CompactTracer, CompactTracerProvider } from './compact-tracer.js';
import { EncodingSink } from './encoding-sink.js';
import { samplerFromEnv } from './env-sampler.js';
import { batchSettings } from './export-settings.js';
import { OtlpHttpSender } from './otlp-http-sender.js';
import { ProtoWriter } from './proto-writer.js';
import { encodeResource, encodeScope } from './span-encoder.js';
import { OtlpSpanQueue } from './span-queue.js';

/** The SDK's defaults for the limits the agent's spans could reach. */
const DEFAULT_ATTRIBUTE_COUNT_LIMIT = 128;
const DEFAULT_EVENT_COUNT_LIMIT = 128;

function limitFrom(env: Env, ...names: string[]): number | undefined {
  for (const name of names) {
    const raw = env[name]?.trim();
    const value = raw ? Number(raw) : NaN;
    if (Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
}

/** OTEL_(SPAN_)ATTRIBUTE_COUNT_LIMIT, OTEL_(SPAN_)ATTRIBUTE_VALUE_LENGTH_LIMIT and OTEL_SPAN_EVENT_COUNT_LIMIT, as the SDK reads them. */
export function spanLimitsFromEnv(env: Env): CompactSpanLimits {
  return {
    attributeCountLimit: limitFrom(env, 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT') ?? DEFAULT_ATTRIBUTE_COUNT_LIMIT,
    attributeValueLengthLimit: limitFrom(env, 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? Infinity,
    eventCountLimit: limitFrom(env, 'OTEL_SPAN_EVENT_COUNT_LIMIT') ?? DEFAULT_EVENT_COUNT_LIMIT,
  };
}

function encoded(write: (writer: ProtoWriter) => void): Uint8Array {
  const writer = new ProtoWriter(256);
  write(writer);
  return writer.finish();
}

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
    resource: settledAttributes(resource).then((attributes) => encoded((writer) => encodeResource(writer, attributes))),
    provisionalResource: encoded((writer) => encodeResource(writer, immediateAttributes(resource))),
    scope: encoded((writer) => encodeScope(writer, PACKAGE_NAME, PACKAGE_VERSION)),
    sender: OtlpHttpSender.forTarget(target, env),
  });
  const tracer = new CompactTracer(new EncodingSink(queue), spanLimitsFromEnv(env), samplerFromEnv(env));
  setExitSendSource(queue, target);
  return { tracerProvider: new CompactTracerProvider(tracer), queue };
}
