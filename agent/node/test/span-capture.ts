import type { TestContext } from 'node:test';
import type { SpanKind } from '@opentelemetry/api';
import { waitFor } from '@closewatch/test/harness';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { WsInstrumentation, type WsInstrumentationConfig } from '../src/index.js';

export interface SpanCapture {
  instrumentation: WsInstrumentation;
  exporter: InMemorySpanExporter;
  /** Resolves once `count` spans ended, with all ended spans. */
  spans(count: number): Promise<ReadableSpan[]>;
  /** The single ended span of `kind`, waiting for it. */
  spanOfKind(kind: SpanKind): Promise<ReadableSpan>;
}

/** An enabled WsInstrumentation writing to an InMemorySpanExporter; disabled (patches undone) after the test. */
export function captureSpans(t: TestContext, config: WsInstrumentationConfig = {}): SpanCapture {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const instrumentation = new WsInstrumentation({ handleProcessExit: false, ...config });
  instrumentation.setTracerProvider(provider);
  t.after(async function disableInstrumentation() {
    instrumentation.disable();
    await provider.shutdown();
  });
  async function spans(count: number): Promise<ReadableSpan[]> {
    return waitFor(() => exporter.getFinishedSpans().length >= count && exporter.getFinishedSpans(), { message: `${count} span(s)` });
  }
  async function spanOfKind(kind: SpanKind): Promise<ReadableSpan> {
    return waitFor(() => exporter.getFinishedSpans().find((span) => span.kind === kind), { message: `a span of kind ${kind}` });
  }
  return { instrumentation, exporter, spans, spanOfKind };
}
