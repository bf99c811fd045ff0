/**
 * The one error catalog: every error response is `{ error: { code, message } }` with the status here.
 * Add entries; never build an error response elsewhere.
 */
export const ERRORS = {
  bad_request: { status: 400, message: 'The request is malformed.' },
  invalid_filter: { status: 400, message: 'A query filter is invalid.' },
  invalid_rule: { status: 400, message: 'The alert rule is invalid.' },
  invalid_otlp: { status: 400, message: 'The OTLP payload could not be decoded.' },
  unauthorized: { status: 401, message: 'A valid key or token is required.' },
  forbidden: { status: 403, message: 'This origin or token is not allowed.' },
  admin_token_not_set: { status: 403, message: 'Writes are refused: this collector listens beyond loopback and has no admin token (CLOSEWATCH_ADMIN_TOKEN).' },
  csrf_rejected: { status: 403, message: 'Cross-site write rejected: send x-closewatch-csrf from the same origin.' },
  not_found: { status: 404, message: 'Not found.' },
  method_not_allowed: { status: 405, message: 'Method not allowed.' },
  payload_too_large: { status: 413, message: 'The request body is over the size limit.' },
  unsupported_media_type: { status: 415, message: 'Unsupported content type.' },
  rate_limited: { status: 429, message: 'Too many requests; retry later.' },
  overloaded: { status: 429, message: 'The collector is busy with other requests; retry later.' },
  internal: { status: 500, message: 'Internal error.' },
  store_unavailable: { status: 503, message: 'The store is unavailable; retry later.' },
  not_ready: { status: 503, message: 'Not ready: the store is unreachable.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** An error that maps to a catalog entry; the final error handler renders it. */
export class CollectorError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  constructor(code: ErrorCode, message?: string, options?: { retryAfterSeconds?: number; cause?: unknown }) {
    super(message ?? ERRORS[code].message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = ERRORS[code].status;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** Every error response's body. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export function errorBody(code: ErrorCode, message?: string): ErrorBody {
  return { error: { code, message: message ?? ERRORS[code].message } };
}
