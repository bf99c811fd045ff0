import type { ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { WsInstrumentation, type WsInstrumentationConfig } from '../src/index.js';

/** Takes every batch and drops it: the agent's own cost, without network or serialisation. */
class DiscardingExporter implements SpanExporter {
  exported = 0;
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exported += spans.length;
    resultCallback({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

export interface BenchAgent {
  enable(): void;
  disable(): void;
  flush(): Promise<void>;
  exportedSpans(): number;
  shutdown(): Promise<void>;
}

/** The instrumentation with a BatchSpanProcessor, as `register` sets it up, switched on and off between rounds. */
export function createBenchAgent(config: WsInstrumentationConfig = {}): BenchAgent {
  const exporter = new DiscardingExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  const instrumentation = new WsInstrumentation({ enabled: false, handleProcessExit: false, ...config });
  instrumentation.setTracerProvider(provider);
  return {
    enable: () => instrumentation.enable(),
    disable: () => instrumentation.disable(),
    flush: () => provider.forceFlush(),
    exportedSpans: () => exporter.exported,
    async shutdown() {
      instrumentation.disable();
      await provider.shutdown();
    },
  };
}
