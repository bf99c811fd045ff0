import { WsInstrumentation } from '@closewatch/agent-node';
import { RESOURCE_SERVICE_INSTANCE_ID, RESOURCE_SERVICE_NAME } from '@closewatch/conventions';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { randomUUID } from 'node:crypto';
import { INGEST_KEY_HEADER } from '../ingest/ingest-access.js';

/** `service.name` of every demo span, so the demo's records are easy to find and to filter out. */
export const DEMO_SERVICE = 'closewatch-demo';

export interface DemoTracing {
  /** Exports every ended span now. */
  flush(): Promise<void>;
  /** Unpatches ws and shuts the exporter down after a last flush. */
  stop(): Promise<void>;
}

/**
 * The real Node agent set up the programmatic way: `new WsInstrumentation()` on our own tracer
 * provider exporting OTLP/HTTP protobuf to the collector, so both the fleet's server and its clients
 * record `websocket.connection` spans.
 */
export function startDemoTracing(collectorUrl: string, key: string | null): DemoTracing {
  const exporter = new OTLPTraceExporter({
    url: `${collectorUrl}/v1/traces`,
    headers: key ? { [INGEST_KEY_HEADER]: key } : {},
  });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [RESOURCE_SERVICE_NAME]: DEMO_SERVICE, [RESOURCE_SERVICE_INSTANCE_ID]: randomUUID() }),
    // Batches keep a fleet of 100 connections a second under the collector's ingest rate limit.
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500, maxExportBatchSize: 256, maxQueueSize: 8192 })],
  });
  const instrumentation = new WsInstrumentation({ handleProcessExit: false });
  instrumentation.setTracerProvider(provider);
  let stopping: Promise<void> | null = null;
  return {
    flush: () => provider.forceFlush(),
    stop() {
      stopping ??= (async () => {
        instrumentation.disable();
        await provider.shutdown();
      })();
      return stopping;
    },
  };
}
