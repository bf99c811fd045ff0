import type { CauseId } from '@closewatch/conventions';
import { isPortBlockedByBrowsers } from './browser-blocked-ports.js';
import { headerValue } from './response-head.js';
import type { ProbeSteps, ProbeVerdict, StepError, UpgradeStep } from './report.js';
import { problemVerdict } from './verdict-text.js';

/** The verdict when the connection never opened, or null when the handshake succeeded. */
export function handshakeVerdict(steps: ProbeSteps, insecure: boolean): ProbeVerdict | null {
  const { dns, tcp, tls, upgrade } = steps;
  if (isPortBlockedByBrowsers(tcp.port)) {
    return problemVerdict('handshake_blocked_by_browser', [
      `port ${tcp.port} is on the browsers' blocked-port list (Fetch standard "bad ports"): new WebSocket() throws SecurityError without connecting`,
    ]);
  }
  if (dns.status === 'failed') return problemVerdict('handshake_network_error', [`DNS: ${describe(dns.error)} (${dns.host})`]);
  if (dns.addresses.length === 0) return problemVerdict('handshake_network_error', [`DNS: ${dns.host} resolved to no address`]);
  if (tcp.status === 'failed') {
    const tried = tcp.attempts.map((attempt) => `${attempt.address}:${attempt.port}: ${describe(attempt.error)}`);
    return problemVerdict('handshake_network_error', [`TCP connect failed`, ...tried]);
  }
  if (tls.verificationError && !insecure) {
    return problemVerdict('handshake_network_error', [
      `TLS certificate rejected: ${tls.verificationError.message} (${tls.verificationError.code})`,
      `certificate ${tls.certificate?.subject ?? '?'} issued by ${tls.certificate?.issuer ?? '?'}`,
      'a browser fails this connection with 1006 and shows no detail to the page',
    ]);
  }
  if (tls.status === 'failed') return problemVerdict('handshake_network_error', [`TLS handshake failed: ${describe(tls.error)}`]);
  if (upgrade.status === 'failed') return upgradeVerdict(upgrade);
  return null;
}

function upgradeVerdict(upgrade: UpgradeStep): ProbeVerdict {
  const error = upgrade.error ?? { code: 'UNKNOWN', message: 'the upgrade failed' };
  const evidence = [`upgrade: ${error.message}`];
  const response = upgrade.response;
  if (response) {
    const location = headerValue(response.headers, 'Location');
    if (location !== null) evidence.push(`Location: ${location} (browsers do not follow redirects on a WebSocket upgrade)`);
    if (response.bodyBytes > 0) evidence.push(`body starts: ${JSON.stringify(response.bodyStart.slice(0, 160))}`);
  }
  return problemVerdict(causeOfUpgradeError(error, response?.statusCode ?? null), evidence);
}

function causeOfUpgradeError(error: StepError, status: number | null): CauseId {
  if (status !== null && status !== 101) return causeOfStatus(status);
  switch (error.code) {
    case 'TIMEOUT':
      return 'handshake_timeout';
    case 'SUBPROTOCOL_MISSING':
    case 'SUBPROTOCOL_MISMATCH':
      return 'handshake_subprotocol_mismatch';
    case 'NOT_HTTP':
    case 'UPGRADE_HEADER':
    case 'CONNECTION_HEADER':
    case 'ACCEPT_MISSING':
    case 'ACCEPT_MISMATCH':
    case 'EXTENSION_NOT_OFFERED':
      return 'handshake_not_websocket';
    default:
      // The connection ended (FIN or RST) before any HTTP answer.
      return 'handshake_network_error';
  }
}

function causeOfStatus(status: number): CauseId {
  if (status === 401 || status === 403 || status === 407) return 'handshake_auth_rejected';
  if (status === 408 || status === 504) return 'handshake_timeout';
  // A 2xx page or a redirect means something other than a WebSocket server answered.
  if (status < 400) return 'handshake_not_websocket';
  return 'handshake_http_rejected';
}

function describe(error: StepError | null): string {
  return error ? `${error.message} (${error.code})` : 'failed';
}
