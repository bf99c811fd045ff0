// The agent's own OTLP path (docs/design.md, "The agent's own export"), exported for the collector's
// encoding test and for tools: `@closewatch/agent-node/otlp` is not a stable API.
export { CompactSpan, type CompactSpanLimits, type EndedSpanSink } from './compact-span.js';
export { CompactTracer, CompactTracerProvider } from './compact-tracer.js';
export { EncodingSink, type EncodedSpanQueue } from './encoding-sink.js';
export { exportTraceRequestBody } from './export-request.js';
export { ProtoWriter, encodeMessage } from './proto-writer.js';
export { encodeResource, encodeScope, encodeSpan } from './span-encoder.js';
