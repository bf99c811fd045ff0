import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { CollectorError, ERRORS, errorBody } from '../errors.js';
import { RpcStatus } from '../ingest/otlp-schema.js';

/** gRPC status codes for the google.rpc.Status body that OTLP/HTTP protobuf clients expect on errors. */
const GRPC_CODE_BY_STATUS: Record<number, number> = {
  400: 3,
  401: 16,
  403: 7,
  404: 5,
  405: 12,
  413: 8,
  415: 3,
  429: 8,
  500: 13,
  503: 14,
};

/** Set by the ingest routes: an OTLP protobuf request gets its error as a protobuf google.rpc.Status. */
export function markOtlpProtobuf(res: Response): void {
  res.locals.otlpProtobuf = true;
}

/** Body-parser and other HTTP errors carry a status; anything else is an internal error. */
function toCollectorError(error: unknown): CollectorError {
  if (error instanceof CollectorError) return error;
  const status = (error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode;
  const match = Object.entries(ERRORS).find(([, entry]) => entry.status === status);
  if (typeof status === 'number' && status >= 400 && status < 500 && match) {
    return new CollectorError(match[0] as keyof typeof ERRORS, undefined, { cause: error });
  }
  return new CollectorError('internal', undefined, { cause: error });
}

export function notFoundHandler(): RequestHandler {
  return function notFound(_req, _res, next) {
    next(new CollectorError('not_found'));
  };
}

/**
 * The one final error handler: every error becomes `{ error: { code, message } }` with the catalog's
 * status (a google.rpc.Status for OTLP protobuf requests) and `Retry-After` when the error has one.
 */
export function errorHandler(log: (message: string) => void): ErrorRequestHandler {
  return function renderError(error, _req, res, _next) {
    const failure = toCollectorError(error);
    if (failure.code === 'internal') log(`internal error: ${(error as Error)?.stack ?? String(error)}`);
    else if (failure.code === 'store_unavailable') log(`store unavailable: ${(failure.cause as Error)?.message ?? String(failure.cause)}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (failure.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(failure.retryAfterSeconds));
    res.status(failure.status);
    if (res.locals.otlpProtobuf) {
      const status = RpcStatus.create({ code: GRPC_CODE_BY_STATUS[failure.status] ?? 2, message: `${failure.code}: ${failure.message}` });
      res.type('application/x-protobuf').send(Buffer.from(RpcStatus.encode(status).finish()));
      return;
    }
    res.json(errorBody(failure.code, failure.message));
  };
}
