import {
  TraceFlags,
  context as contextApi,
  trace,
  type Context,
  type Span,
  type SpanContext,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import type { Sampler } from '@opentelemetry/sdk-trace-base';
import { CompactSpan, type CompactSpanLimits, type EndedSpanSink } from './compact-span.js';
import { randomSpanIdHex, randomTraceIdHex } from './span-ids.js';

/** `SamplingDecision.RECORD_AND_SAMPLED` of the SDK, whose module the default path never loads. */
const RECORD_AND_SAMPLED = 2;

function validParent(parent: SpanContext | undefined): SpanContext | undefined {
  return parent && trace.isSpanContextValid(parent) ? parent : undefined;
}

/**
 * The tracer the register path gives the instrumentation when the app has no tracer provider of its
 * own (docs/design.md, "The agent's own export"): compact spans, sampled as `OTEL_TRACES_SAMPLER`
 * says (the default, parent-based always-on, without calling a sampler), ended into the sink that
 * encodes them. It is not registered globally: the app's own OpenTelemetry use stays as it was.
 */
export class CompactTracer implements Tracer {
  constructor(
    private readonly sink: EndedSpanSink,
    private readonly limits: CompactSpanLimits,
    private readonly sampler: Sampler | undefined,
  ) {}

  startSpan(name: string, options: SpanOptions = {}, parentContext: Context = contextApi.active()): Span {
    const parent = options.root ? undefined : validParent(trace.getSpanContext(parentContext));
    const kind = options.kind ?? 0;
    if (this.sampler === undefined) {
      if (parent === undefined || (parent.traceFlags & TraceFlags.SAMPLED) !== 0) return new CompactSpan(this.sink, this.limits, name, kind, parent);
      return this.unsampled(parent.traceId);
    }
    const traceId = parent?.traceId ?? randomTraceIdHex();
    const decision: number = this.sampler.shouldSample(parentContext, traceId, name, kind, options.attributes ?? {}, options.links ?? []).decision;
    if (decision !== RECORD_AND_SAMPLED) return this.unsampled(traceId);
    return new CompactSpan(this.sink, this.limits, name, kind, parent, traceId);
  }

  /** Not recorded, but with a context of its own to propagate (flags 00), as the SDK gives one. */
  private unsampled(traceId: string): Span {
    return trace.wrapSpanContext({ traceId, spanId: randomSpanIdHex(), traceFlags: TraceFlags.NONE });
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, context: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    const fn = rest.pop() as F;
    const [options, parentContext] = rest as [SpanOptions | undefined, Context | undefined];
    const parent = parentContext ?? contextApi.active();
    const span = this.startSpan(name, options, parent);
    return contextApi.with(trace.setSpan(parent, span), fn as (span: Span) => ReturnType<F>, undefined, span);
  }
}

/** Hands the one compact tracer to whoever asks: only the ws instrumentation is given this provider. */
export class CompactTracerProvider implements TracerProvider {
  constructor(private readonly tracer: CompactTracer) {}

  getTracer(): Tracer {
    return this.tracer;
  }
}
