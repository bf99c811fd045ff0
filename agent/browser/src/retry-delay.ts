/** First backoff after a failed export, doubled per consecutive failure up to MAX_BACKOFF_MS. */
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;

/**
 * How long to wait before the next export: the server's `Retry-After` seconds when it sent them, else
 * exponential backoff with jitter in [½, 1] of the step, so a fleet of pages does not retry in step.
 */
export function retryDelayMs(retryAfter: string | null | undefined, failures: number): number {
  const step = Math.min(FIRST_BACKOFF_MS * 2 ** failures, MAX_BACKOFF_MS);
  return retryAfter && +retryAfter >= 0 ? +retryAfter * 1000 : (step * (1 + Math.random())) / 2;
}
