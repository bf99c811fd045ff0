import type { Response } from 'express';
import { ExportTraceServiceResponse } from './otlp-schema.js';
import type { IngestResult } from './ingest-spans.js';
import type { OtlpEncoding } from './otlp-types.js';

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

/**
 * Rejected spans, and attribute values dropped from accepted ones: OTLP lets `errorMessage` carry
 * warnings with `rejectedSpans` 0 ("the server fully accepts the request").
 */
export function partialSuccessOf(result: IngestResult): PartialSuccess | null {
  const parts: string[] = [];
  if (result.rejected > 0) parts.push(`${result.rejected} invalid span(s) rejected: ${result.rejections.join('; ')}`);
  if (result.dropped > 0) parts.push(`${result.dropped} attribute value(s) dropped: ${result.droppedNotes.join('; ')}`);
  return parts.length === 0 ? null : { rejectedSpans: result.rejected, errorMessage: parts.join('. ') };
}

/** Sends an ExportTraceServiceResponse in the request's encoding; `partialSuccess` only when spans were rejected. */
export function sendExportResponse(res: Response, encoding: OtlpEncoding, partialSuccess: PartialSuccess | null): void {
  res.status(200);
  if (encoding === 'json') {
    res.json(partialSuccess ? { partialSuccess } : {});
    return;
  }
  const message = ExportTraceServiceResponse.create(partialSuccess ? { partialSuccess } : {});
  res.type('application/x-protobuf').send(Buffer.from(ExportTraceServiceResponse.encode(message).finish()));
}
