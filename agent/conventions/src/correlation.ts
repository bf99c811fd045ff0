import { CORRELATION_PARAM } from './attributes.js';
import { queryPairName, queryPairValue, splitUrl } from './url-parts.js';

export interface StrippedCorrelation {
  /** The URL without any `__cw` parameter; every other byte unchanged. */
  url: string;
  /** The decoded value of the first `__cw` parameter (check it with parseTraceparent), or null. */
  traceparent: string | null;
}

/**
 * Removes the `__cw` correlation parameter from an absolute URL or from a path+query such as
 * Node's `req.url`, and returns its value, so the application never sees the parameter.
 */
export function stripCorrelationParam(url: string): StrippedCorrelation {
  if (typeof url !== 'string') return { url: '', traceparent: null };
  const { head, query, fragment } = splitUrl(url);
  if (query === null || !query.includes(CORRELATION_PARAM)) return { url, traceparent: null };
  let traceparent: string | null = null;
  const kept: string[] = [];
  for (const pair of query.split('&')) {
    if (queryPairName(pair) !== CORRELATION_PARAM) {
      kept.push(pair);
      continue;
    }
    if (traceparent === null) traceparent = queryPairValue(pair);
  }
  if (traceparent === null) return { url, traceparent: null };
  const rest = kept.join('&');
  return { url: `${head}${rest === '' ? '' : `?${rest}`}${fragment}`, traceparent };
}
