/** First backoff after a failed export, doubled per consecutive failure up to MAX_BACKOFF_MS. */
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;

/**
 * How long to wait before the next export: the server's `Retry-After` (seconds or an HTTP date) when
 * it sent one, else exponential backoff with jitter in [½, 1] of the step so a fleet of pages spreads out.
 */
export function retryDelayMs(retryAfter: string | null, failures: number): number {
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (date > 0) return Math.max(date - Date.now(), 0);
  }
  const step = Math.min(FIRST_BACKOFF_MS * 2 ** (failures - 1), MAX_BACKOFF_MS);
  return step / 2 + (Math.random() * step) / 2;
}
