import { headerValue } from './response-head.js';
import type { HeaderList } from './report.js';

/** Response headers that betray a proxy or CDN between the probe and the application. */
const HINTS: Array<{ header: string; name: (value: string) => string | null }> = [
  { header: 'Via', name: (value) => `a proxy (Via: ${value})` },
  { header: 'CF-Ray', name: () => 'Cloudflare (CF-Ray header)' },
  { header: 'X-Amz-Cf-Id', name: () => 'Amazon CloudFront (X-Amz-Cf-Id header)' },
  { header: 'X-Envoy-Upstream-Service-Time', name: () => 'Envoy (x-envoy-upstream-service-time header)' },
  { header: 'Server', name: serverHint },
];

const PROXY_SERVERS = /nginx|openresty|envoy|haproxy|cloudflare|awselb|apache|caddy|traefik|istio|kong|varnish|akamai/i;

function serverHint(value: string): string | null {
  return PROXY_SERVERS.test(value) ? `${value.split('/')[0]} (Server: ${value})` : null;
}

/** The proxies the upgrade response shows, in plain words; [] when it shows none. */
export function detectIntermediaries(headers: HeaderList): string[] {
  const found: string[] = [];
  for (const hint of HINTS) {
    const value = headerValue(headers, hint.header);
    const name = value === null ? null : hint.name(value);
    if (name) found.push(name);
  }
  return found;
}
