import type { Socket } from 'node:net';
import { connect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import { roundMs, type ProbeClock } from './clock.js';
import { timeoutError } from './network-words.js';
import type { CertificateSummary, TlsStep } from './report.js';
import { describeTlsError } from './tls-words.js';

export interface TlsResult {
  step: TlsStep;
  socket: TLSSocket | null;
}

const DAY_MS = 86_400_000;

export function skippedTls(): TlsStep {
  return {
    status: 'skipped',
    startMs: null,
    durationMs: null,
    error: null,
    servername: null,
    protocol: null,
    cipher: null,
    alpn: null,
    authorized: null,
    verificationError: null,
    certificate: null,
  };
}

/**
 * Runs the TLS handshake without letting Node reject the certificate, so the report shows the
 * certificate and the verification error; the caller decides whether to go on (`--insecure`).
 */
/** `leftMs` is what remains of the handshake's limit, `limitMs` the whole --timeout (for the message). */
export async function startTls(tcp: Socket, host: string, leftMs: number, limitMs: number, clock: ProbeClock): Promise<TlsResult> {
  const startMs = clock.now();
  const servername = isIP(host) === 0 ? host : null;
  const step: TlsStep = { ...skippedTls(), status: 'failed', startMs: roundMs(startMs), servername };
  const outcome = await handshake(tcp, host, servername, leftMs);
  step.durationMs = roundMs(clock.now() - startMs);
  if ('error' in outcome) {
    step.error = outcome.error.code === 'TIMEOUT' ? timeoutError('TLS handshake', limitMs) : describeTlsError(outcome.error.code, outcome.error.message);
    return { step, socket: null };
  }
  const socket = outcome.socket;
  step.protocol = socket.getProtocol();
  step.cipher = socket.getCipher()?.name ?? null;
  step.alpn = socket.alpnProtocol || null;
  step.authorized = socket.authorized;
  const certificate = socket.getPeerCertificate(false);
  step.certificate = certificate && Object.keys(certificate).length > 0 ? summarizeCertificate(certificate) : null;
  if (!socket.authorized) {
    const code = String(socket.authorizationError ?? 'CERT_NOT_VERIFIED');
    step.verificationError = describeTlsError(code, `the certificate did not verify (${code})`);
  }
  step.status = 'ok';
  return { step, socket };
}

type HandshakeOutcome = { socket: TLSSocket } | { error: { code: string; message: string } };

function handshake(tcp: Socket, host: string, servername: string | null, limitMs: number): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    const socket = connect({
      socket: tcp,
      host,
      ...(servername ? { servername } : {}),
      ALPNProtocols: ['http/1.1'],
      rejectUnauthorized: false,
    });
    const timer = setTimeout(function tlsHandshakeTimedOut() {
      socket.destroy();
      resolve({ error: { code: 'TIMEOUT', message: 'TLS handshake timed out' } });
    }, limitMs);
    socket.once('secureConnect', function tlsOnSecureConnect() {
      clearTimeout(timer);
      socket.removeListener('error', tlsOnError);
      resolve({ socket });
    });
    socket.once('error', tlsOnError);
    function tlsOnError(error: NodeJS.ErrnoException) {
      clearTimeout(timer);
      socket.destroy();
      resolve({ error: { code: error.code ?? 'TLS_ERROR', message: error.message } });
    }
  });
}

function summarizeCertificate(certificate: PeerCertificate): CertificateSummary {
  const validTo = new Date(certificate.valid_to);
  return {
    subject: formatName(certificate.subject),
    issuer: formatName(certificate.issuer),
    subjectAltNames: (certificate.subjectaltname ?? '').split(', ').filter(Boolean),
    validFrom: new Date(certificate.valid_from).toISOString(),
    validTo: validTo.toISOString(),
    daysRemaining: Math.floor((validTo.getTime() - Date.now()) / DAY_MS),
    fingerprint256: certificate.fingerprint256,
  };
}

/** `CN=example.com, O=Example` from Node's parsed name object. */
function formatName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}
