import { ProtoWriter } from './proto-writer.js';

/**
 * The body of an OTLP `ExportTraceServiceRequest` around spans already encoded: one ResourceSpans
 * (field 1) holding the resource (field 1) and one ScopeSpans (field 2), which holds the scope
 * (field 1) and every span (field 2, repeated). Spans are copied once, not decoded or re-encoded.
 */

const REQUEST_RESOURCE_SPANS = 1;
const RESOURCE_SPANS_RESOURCE = 1;
const RESOURCE_SPANS_SCOPE_SPANS = 2;
const SCOPE_SPANS_SCOPE = 1;
const SCOPE_SPANS_SPAN = 2;

/** Room for the tags and lengths around the pieces: a few bytes per span, a few dozen for the rest. */
const OVERHEAD_PER_SPAN = 6;
const OVERHEAD = 32;

/**
 * `resource` and `scope` are the encoded `Resource` and `InstrumentationScope` messages, each span the
 * encoded fields of one `Span`, all without their own tag and length.
 */
export function exportTraceRequestBody(resource: Uint8Array, scope: Uint8Array, spans: readonly Uint8Array[]): Uint8Array {
  let size = resource.length + scope.length + OVERHEAD;
  for (const span of spans) size += span.length + OVERHEAD_PER_SPAN;
  const writer = new ProtoWriter(size);
  const resourceSpans = writer.beginMessage(REQUEST_RESOURCE_SPANS);
  writer.bytes(RESOURCE_SPANS_RESOURCE, resource);
  const scopeSpans = writer.beginMessage(RESOURCE_SPANS_SCOPE_SPANS);
  writer.bytes(SCOPE_SPANS_SCOPE, scope);
  for (const span of spans) writer.bytes(SCOPE_SPANS_SPAN, span);
  writer.endMessage(scopeSpans);
  writer.endMessage(resourceSpans);
  return writer.view();
}
