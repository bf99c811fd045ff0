import { diag } from '@opentelemetry/api';
import { createRequire } from 'node:module';
import type { Sampler } from '@opentelemetry/sdk-trace-base';
import type { Env } from '../otlp-target.js';

const DEFAULT_RATIO = 1;

function ratioFrom(env: Env): number {
  const raw = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  const ratio = raw ? Number(raw) : NaN;
  if (Number.isFinite(ratio) && ratio >= 0 && ratio <= 1) return ratio;
  diag.error(`OTEL_TRACES_SAMPLER_ARG=${raw ?? ''} is not a ratio in [0..1], defaulting to ${DEFAULT_RATIO}.`);
  return DEFAULT_RATIO;
}

/**
 * The sampler `OTEL_TRACES_SAMPLER` names, as the NodeSDK builds it; undefined for the default,
 * parent-based always-on, which the compact tracer decides without calling a sampler at all.
 */
export function samplerFromEnv(env: Env): Sampler | undefined {
  const name = env.OTEL_TRACES_SAMPLER?.trim();
  if (name === undefined || name === '' || name === 'parentbased_always_on') return undefined;
  // The SDK's samplers, required only when one is named: the default path never loads the SDK.
  const { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler } = createRequire(import.meta.url)(
    '@opentelemetry/sdk-trace-base',
  ) as typeof import('@opentelemetry/sdk-trace-base');
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratioFrom(env));
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratioFrom(env)) });
    default:
      diag.error(`unknown OTEL_TRACES_SAMPLER value "${name}", using default`);
      return undefined;
  }
}
