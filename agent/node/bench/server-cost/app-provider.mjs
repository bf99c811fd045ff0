// The app-provider path of server-cost.bench.ts: an app that sets up its own tracer provider (batch +
// OTLP/HTTP protobuf exporter to the sink) before the agent's register runs.
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

const exporter = new OTLPTraceExporter({ url: `${process.env.CLOSEWATCH_ENDPOINT}/v1/traces` });
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] }));
