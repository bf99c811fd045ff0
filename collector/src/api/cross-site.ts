import type { Request } from 'express';
import type { CollectorConfig } from '../config.js';

/** Custom header every write must carry: a cross-site form or `no-cors` fetch cannot set it without a CORS preflight. */
export const CSRF_HEADER = 'x-closewatch-csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Origins a write may come from: the one the request was addressed to, and the configured public URL. */
function sameOrigins(req: Request, config: CollectorConfig): Set<string> {
  const origins = new Set<string>();
  const host = req.headers.host;
  if (host) origins.add(`${req.protocol}://${host}`);
  const publicOrigin = originOf(config.publicUrl);
  if (publicOrigin) origins.add(publicOrigin);
  return origins;
}

/**
 * Why a write looks cross-site, or null when it passes: the custom header is required, and the
 * browser's own `Sec-Fetch-Site` / `Origin` (when sent) must say same-origin. Reads always pass.
 */
export function crossSiteRejection(req: Request, config: CollectorConfig): string | null {
  if (SAFE_METHODS.has(req.method)) return null;
  if (req.get(CSRF_HEADER) === undefined) return `Writes must send the ${CSRF_HEADER} header.`;
  const fetchSite = req.get('sec-fetch-site');
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    return `Cross-site write rejected (Sec-Fetch-Site: ${fetchSite}).`;
  }
  const origin = req.get('origin');
  if (origin !== undefined && !sameOrigins(req, config).has(origin)) {
    return 'Cross-origin write rejected: the Origin does not match this collector.';
  }
  return null;
}
