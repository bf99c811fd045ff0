import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  /** Give up after this long. Default 5000. */
  timeoutMs?: number;
  /** Pause between attempts. Default 50. */
  intervalMs?: number;
  /** Names what was awaited in the timeout error. */
  message?: string;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Thrown from a `waitFor` check to fail at once instead of retrying (e.g. the awaited process died). */
export class StopWaiting extends Error {
  override name = 'StopWaiting';
}

/**
 * Calls `check` until it returns a truthy value (or resolves to one) and returns that value.
 * A throwing `check` counts as "not yet" (unless it throws `StopWaiting`); its last error is quoted on timeout.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 5000, intervalMs = 50, message = 'condition' }: WaitForOptions = {},
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Truthy<T>;
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await sleep(intervalMs);
  }
  const detail = lastError instanceof Error ? `: last error: ${lastError.message}` : '';
  throw new Error(`waitFor: ${message} not met within ${timeoutMs} ms${detail}`, { cause: lastError });
}
