import type { Response } from 'express';
import { ExportTraceServiceResponse } from './otlp-schema.js';
import type { OtlpEncoding } from './otlp-types.js';

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
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
