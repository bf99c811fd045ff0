/** Resolves with the promise's value, or 'timeout' after `limitMs` (the promise keeps running, its result ignored). */
export function withTimeout<T>(promise: Promise<T>, limitMs: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, limitMs), 'timeout');
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

/** The time left until an absolute deadline on the probe clock, never negative. */
export function remaining(deadlineMs: number, nowMs: number): number {
  return Math.max(0, deadlineMs - nowMs);
}
