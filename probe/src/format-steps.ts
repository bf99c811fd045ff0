import { CLOSE_NO_STATUS, describeCloseCode } from '@closewatch/conventions';
import { formatDuration } from './duration.js';
import type { DnsStep, HoldStep, ProbeSteps, TcpStep, TlsStep, UpgradeStep } from './report.js';

/** Request headers worth showing in the human report; the rest is the same for every probe (all are in --json). */
const SHOWN_REQUEST_HEADERS = new Set(['origin', 'sec-websocket-protocol', 'cookie', 'authorization']);
const BOILERPLATE_REQUEST_HEADERS = new Set([
  'host',
  'connection',
  'pragma',
  'cache-control',
  'user-agent',
  'upgrade',
  'sec-websocket-version',
  'sec-websocket-key',
  'sec-websocket-extensions',
]);

/** One step of the report: its summary (first line) and the detail lines under it. */
export interface StepLines {
  name: keyof ProbeSteps;
  lines: string[];
}

export function describeSteps(steps: ProbeSteps): StepLines[] {
  return [
    { name: 'dns', lines: dnsLines(steps.dns) },
    { name: 'tcp', lines: tcpLines(steps.tcp) },
    { name: 'tls', lines: tlsLines(steps.tls) },
    { name: 'upgrade', lines: upgradeLines(steps.upgrade) },
    { name: 'hold', lines: holdLines(steps.hold) },
  ];
}

function dnsLines(dns: DnsStep): string[] {
  if (dns.status === 'skipped') return [`${dns.host} is an IP address, no lookup`];
  if (dns.status === 'failed') return [`${dns.host}: ${dns.error?.message} (${dns.error?.code})`];
  return [`${dns.host} → ${dns.addresses.map((entry) => entry.address).join(', ')}`];
}

function tcpLines(tcp: TcpStep): string[] {
  if (tcp.status === 'not_reached') return ['not reached'];
  const failures = tcp.attempts
    .filter((attempt) => attempt.error !== null)
    .map((attempt) => `${attempt.address}:${attempt.port} failed: ${attempt.error?.message} (${attempt.error?.code})`);
  if (tcp.status === 'failed') return failures;
  return [`connected to ${tcp.address}:${tcp.port}`, ...failures.map((line) => `(before that ${line})`)];
}

function tlsLines(tls: TlsStep): string[] {
  if (tls.status === 'skipped') return ['not used (ws://)'];
  if (tls.status === 'not_reached') return ['not reached'];
  if (tls.status === 'failed' && tls.protocol === null) return [`${tls.error?.message} (${tls.error?.code})`];
  const lines = [`${tls.protocol} ${tls.cipher ?? ''}, ALPN ${tls.alpn ?? 'none'}${tls.servername ? `, SNI ${tls.servername}` : ''}`];
  const certificate = tls.certificate;
  if (certificate) {
    lines.push(`certificate ${certificate.subject}`);
    lines.push(`issued by ${certificate.issuer}, valid until ${certificate.validTo.slice(0, 10)} (${certificate.daysRemaining} days)`);
    if (certificate.subjectAltNames.length > 0) lines.push(`names ${certificate.subjectAltNames.join(', ')}`);
  }
  lines.push(tls.verificationError ? `verification FAILED: ${tls.verificationError.message} (${tls.verificationError.code})` : 'verification ok');
  return lines;
}

function upgradeLines(upgrade: UpgradeStep): string[] {
  if (upgrade.status === 'not_reached' || !upgrade.request) return ['not reached'];
  const response = upgrade.response;
  const lines = [response ? response.statusLine : `no response: ${upgrade.error?.message}`];
  lines.push(`> ${upgrade.request.requestLine}`);
  for (const [name, value] of upgrade.request.headers) {
    const lower = name.toLowerCase();
    if (SHOWN_REQUEST_HEADERS.has(lower) || !BOILERPLATE_REQUEST_HEADERS.has(lower)) lines.push(`> ${name}: ${value}`);
  }
  if (!response) return lines;
  lines.push(`< ${response.statusLine}`);
  for (const [name, value] of response.headers) lines.push(`< ${name}: ${value}`);
  if (response.statusCode !== 101) {
    const more = response.bodyTruncated ? ', truncated' : '';
    lines.push(response.bodyBytes === 0 ? '< (no body)' : `< body (${response.bodyBytes} bytes${more}):`);
    for (const line of response.bodyStart.split('\n').filter((text) => text.trim() !== '')) lines.push(`<   ${line}`);
    return lines;
  }
  lines.push(`Sec-WebSocket-Accept ${upgrade.acceptCheck}`);
  const asked = upgrade.requestedSubprotocols.length === 0 ? 'none requested' : `requested ${upgrade.requestedSubprotocols.join(', ')}`;
  lines.push(`subprotocol ${upgrade.subprotocol ?? 'none'} (${asked}); extensions ${upgrade.extensions ?? 'none'}`);
  if (upgrade.error) lines.push(`FAILED: ${upgrade.error.message}`);
  return lines;
}

function holdLines(hold: HoldStep): string[] {
  if (hold.status === 'not_reached' || hold.end === null) return ['not reached'];
  const lines = [holdSummary(hold)];
  if (hold.pingIntervalMs !== null) {
    const rtt = hold.lastPingRttMs === null ? '' : `, last round trip ${formatDuration(hold.lastPingRttMs)}`;
    lines.push(`pings sent ${hold.pingsSent}, answered ${hold.pongsReceived}${rtt}`);
  }
  if (hold.pingsReceived > 0 || hold.messagesReceived > 0) {
    lines.push(`received ${hold.pingsReceived} pings, ${hold.messagesReceived} messages (${hold.bytesReceived} bytes)`);
  }
  if (hold.firstMessage !== null) lines.push(`first message: ${JSON.stringify(hold.firstMessage)}`);
  return lines;
}

function holdSummary(hold: HoldStep): string {
  const after = `after ${formatDuration(hold.heldMs ?? 0)} (${formatDuration(hold.idleBeforeEndMs ?? 0)} idle)`;
  switch (hold.end) {
    case 'hold_elapsed': {
      const answer = hold.closeHandshake === 'completed' ? 'the server answered' : 'the server did NOT answer';
      return `stayed open ${formatDuration(hold.heldMs ?? 0)}; the probe closed with 1000 and ${answer}`;
    }
    case 'close_frame': {
      const code = hold.closeCode ?? CLOSE_NO_STATUS;
      const reason = hold.closeReason ? ` ${JSON.stringify(hold.closeReason)}` : '';
      return `server sent close ${code} (${describeCloseCode(code).name})${reason} ${after}`;
    }
    case 'tcp_fin':
      return `remote side closed TCP (FIN) without a close frame ${after}; a browser sees 1006`;
    case 'tcp_reset':
      return `remote side reset TCP (RST) without a close frame ${after}; a browser sees 1006`;
    case 'protocol_error':
      return `probe failed the connection ${after}: ${hold.error?.message}`;
    default:
      return `socket error ${after}: ${hold.error?.message} (${hold.error?.code})`;
  }
}
