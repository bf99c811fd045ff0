import type { Context } from '@opentelemetry/api';
import { TraceFlags } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Ended spans the exporter has not finished with yet (waiting in the batch or on the wire), oldest
 * first. At process exit they are what would be lost: `exit-export` sends them synchronously
 * (docs/design.md, "Spans at process exit"). Bounded: when the batch drops spans because its queue is
 * full they never reach the exporter, and the oldest entries make room.
 */
export class UnsentSpans {
  private readonly spans = new Set<ReadableSpan>();

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.spans.size;
  }

  add(span: ReadableSpan): void {
    if (this.spans.size >= this.limit) {
      const oldest = this.spans.values().next().value;
      if (oldest !== undefined) this.spans.delete(oldest);
    }
    this.spans.add(span);
  }

  /** The exporter is done with these (sent, or given up after its retries). */
  settle(spans: readonly ReadableSpan[]): void {
    for (const span of spans) this.spans.delete(span);
  }

  /** Everything still unsent; afterwards nothing is. */
  takeAll(): ReadableSpan[] {
    const all = [...this.spans];
    this.spans.clear();
    return all;
  }
}

/** Notes each sampled span as it ends, then hands it to the batch. */
export class UnsentTrackingProcessor implements SpanProcessor {
  constructor(
    private readonly batch: SpanProcessor,
    private readonly unsent: UnsentSpans,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    this.batch.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0) this.unsent.add(span);
    this.batch.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.batch.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.batch.shutdown();
  }
}

/** Settles the spans of each export once the exporter answers, whatever it answers. */
export class UnsentTrackingExporter implements SpanExporter {
  constructor(
    private readonly exporter: SpanExporter,
    private readonly unsent: UnsentSpans,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exporter.export(spans, (result) => {
      this.unsent.settle(spans);
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush?.() ?? Promise.resolve();
  }
}
