import { CollectorError } from '../../errors.js';

/** Socket-level failures: the server is down, unreachable or went away. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE']);

/** SQLSTATEs that mean "no usable server right now": connection exceptions, shutdown, startup, too many clients. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** node-postgres reports some connection failures only by message. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'Query read timeout',
];

export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'))) return true;
  if (error instanceof AggregateError) return error.errors.some(isUnavailable);
  return UNAVAILABLE_MESSAGES.some((message) => error.message.includes(message));
}

/** Maps an unreachable database to `store_unavailable`; any other error passes through unchanged. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof CollectorError || !isUnavailable(error)) return error;
  const detail = error instanceof Error && error.message ? error.message : 'connection failed';
  return new CollectorError('store_unavailable', `The PostgreSQL store is unavailable: ${detail}`, { cause: error, retryAfterSeconds: 1 });
}
