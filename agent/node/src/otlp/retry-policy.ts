/**
 * When a refused OTLP post is tried again: the policy of `@opentelemetry/otlp-exporter-base` 0.223
 * (`retrying-transport.js`, `is-export-retryable.js`), so replacing the SDK exporter changes nothing
 * a collector or a proxy sees. At most five retries after the first attempt, all within the export
 * timeout; the collector's `Retry-After` wins over the backoff.
 */

/** Retries after the first attempt (the SDK's MAX_ATTEMPTS). */
export const MAX_RETRIES = 5;
export const INITIAL_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 5000;
export const BACKOFF_MULTIPLIER = 1.5;
/** The backoff varies by up to ±20 %, so agents refused together do not come back together. */
export const JITTER = 0.2;

/** Statuses worth trying again: too many requests, and a gateway or the collector briefly unavailable. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/** Network errors worth trying again (the SDK's list): the collector restarting, DNS or routing hiccups. */
const RETRYABLE_NETWORK_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH']);

export function isRetryableNetworkError(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && RETRYABLE_NETWORK_ERRORS.has(code);
}

/**
 * `Retry-After` in milliseconds: delay-seconds (an integer prefix, as `parseInt` reads it; zero or less
 * means at once) or an HTTP date (a past one means at once). Undefined without the header.
 */
export function retryAfterMillis(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const seconds = Number.parseInt(header, 10);
  if (Number.isInteger(seconds)) return seconds > 0 ? seconds * 1000 : 0;
  const delay = new Date(header).getTime() - Date.now();
  return delay >= 0 ? delay : 0;
}

/** The exponential backoff of one export: 1 s, 1.5 s, 2.25 s, ... capped at 5 s, each ±20 %. */
export class Backoff {
  private next = INITIAL_BACKOFF_MS;

  constructor(private readonly random: () => number = Math.random) {}

  /** The wait before the next retry; the one after is longer. */
  nextDelay(): number {
    const jitter = this.random() * (2 * JITTER) - JITTER;
    const delay = Math.max(Math.min(this.next * (1 + jitter), MAX_BACKOFF_MS), 0);
    this.next *= BACKOFF_MULTIPLIER;
    return delay;
  }
}
