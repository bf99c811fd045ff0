import { WsInstrumentation } from '@closewatch/agent-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { CleanupScope } from '../../harness/index.js';

export interface InProcessAgent {
  instrumentation: WsInstrumentation;
  /** Exports what is still buffered. */
  flush(): Promise<void>;
}

/**
 * The real Node agent in this process, the programmatic way (README: `new WsInstrumentation()` on the
 * app's own SDK): every `ws` server and client here records spans exported over OTLP/HTTP protobuf to
 * `collectorUrl`. Patches are undone and the provider shut down after `t`.
 */
export function startInProcessAgent(t: CleanupScope, collectorUrl: string, serviceName: string): InProcessAgent {
  const exporter = new OTLPTraceExporter({ url: `${collectorUrl}/v1/traces` });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const instrumentation = new WsInstrumentation({ handleProcessExit: false });
  instrumentation.setTracerProvider(provider);
  t.after(async function stopInProcessAgent() {
    instrumentation.disable();
    await provider.shutdown();
  });
  return { instrumentation, flush: () => provider.forceFlush() };
}
