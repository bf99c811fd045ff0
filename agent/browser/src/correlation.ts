import { CORRELATION_PARAM } from '@closewatch/conventions';

/** Whether a WebSocket URL belongs to the hosts the agent may add `__cw` to. */
export function matchesPropagateTo(url: URL, targets: Array<string | RegExp>): boolean {
  return targets.some(function targetMatches(target) {
    return typeof target === 'string' ? target === url.hostname || target === url.host || url.href.startsWith(target) : target.test(url.href);
  });
}

/**
 * The text appended to `url` to carry the W3C traceparent of a sampled span: `?__cw=00-<trace>-<span>-01`,
 * or `&__cw=…` after a query. Appending (never re-serialising) keeps every other byte of the URL as the app wrote it.
 */
export function correlationSuffix(url: string, traceId: string, spanId: string): string {
  const separator = !url.includes('?') ? '?' : /[?&]$/.test(url) ? '' : '&';
  return `${separator}${CORRELATION_PARAM}=00-${traceId}-${spanId}-01`;
}
