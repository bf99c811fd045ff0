import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpHttpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTestCollector } from './support/test-collector.js';

/** A real client span and its server child, recorded by the OpenTelemetry SDK. */
function recordConnection(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'otel-sdk-app' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('@closewatch/test', '0.1.0');
  const client = tracer.startSpan('websocket.connection', {
    kind: SpanKind.CLIENT,
    attributes: { 'websocket.close.code': 1006, 'websocket.propagated': true, 'websocket.phase': 'open', 'websocket.route': '/live' },
  });
  const server = tracer.startSpan(
    'websocket.connection',
    {
      kind: SpanKind.SERVER,
      attributes: { 'websocket.close.code': 1006, 'websocket.termination': 'terminate', 'websocket.close.initiator': 'server', 'websocket.phase': 'open' },
    },
    trace.setSpan(context.active(), client),
  );
  server.addEvent('websocket.open');
  server.end();
  client.end();
  tracer.startSpan('GET /health').end();
  return memory.getFinishedSpans();
}

function exportWith(exporter: { export(spans: ReadableSpan[], done: (result: ExportResult) => void): void }, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

describe('ingest from the OpenTelemetry JS exporters', () => {
  for (const [name, Exporter] of [
    ['OTLP/HTTP protobuf', OtlpHttpProtoExporter],
    ['OTLP/HTTP JSON', OtlpHttpJsonExporter],
  ] as const) {
    it(`stores and joins what the ${name} exporter sends`, async (t) => {
      const collector = await startTestCollector(t);
      const spans = recordConnection();
      const exporter = new Exporter({ url: `${collector.url}/v1/traces` });
      t.after(() => exporter.shutdown());
      const result = await exportWith(exporter, spans);
      assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
      const client = spans.find((span) => span.kind === SpanKind.CLIENT)!;
      const record = await collector.deps.store.getConnection(`${client.spanContext().traceId}-${client.spanContext().spanId}`);
      assert.equal(record?.final, true);
      assert.equal(record.outcome?.observedBy, 'both');
      assert.equal(record.outcome?.service, 'otel-sdk-app');
      assert.equal(record.server?.events[0]?.name, 'websocket.open');
      const metrics = await (await fetch(`${collector.url}/metrics`)).text();
      assert.match(metrics, /closewatch_ingest_spans_total\{result="ignored"\} 1/);
    });
  }

  it('accepts the ingest key an exporter sends as a header, and refuses an exporter without it', async (t) => {
    const collector = await startTestCollector(t, { ingestKeys: ['server-key'] });
    const withKey = new OtlpHttpProtoExporter({ url: `${collector.url}/v1/traces`, headers: { 'x-closewatch-key': 'server-key' } });
    const withoutKey = new OtlpHttpProtoExporter({ url: `${collector.url}/v1/traces` });
    t.after(() => Promise.all([withKey.shutdown(), withoutKey.shutdown()]));
    assert.equal((await exportWith(withKey, recordConnection())).code, ExportResultCode.SUCCESS);
    assert.equal((await exportWith(withoutKey, recordConnection())).code, ExportResultCode.FAILED);
  });
});
