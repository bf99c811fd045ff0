import type { CauseId } from '@closewatch/conventions';

/** Version of the `--json` output; bumped only on a change that breaks a script reading it. */
export const PROBE_REPORT_SCHEMA = 'closewatch.probe/v1';

/** `ok` ran and succeeded, `failed` ran and failed, `skipped` does not apply, `not_reached` an earlier step failed. */
export type StepStatus = 'ok' | 'failed' | 'skipped' | 'not_reached';

export interface StepError {
  /** Stable code: an errno (`ECONNREFUSED`), an OpenSSL code (`DEPTH_ZERO_SELF_SIGNED_CERT`) or a probe code (`TIMEOUT`). */
  code: string;
  /** The same in plain words. */
  message: string;
}

/** Fields every step has; times are milliseconds since the probe started, rounded to 0.1 ms. */
export interface StepTiming {
  status: StepStatus;
  startMs: number | null;
  durationMs: number | null;
  error: StepError | null;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface DnsStep extends StepTiming {
  host: string;
  addresses: ResolvedAddress[];
}

export interface TcpAttempt {
  address: string;
  port: number;
  durationMs: number;
  error: StepError | null;
}

export interface TcpStep extends StepTiming {
  /** The address the connection was made to (null when every attempt failed). */
  address: string | null;
  port: number;
  attempts: TcpAttempt[];
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  validFrom: string;
  validTo: string;
  /** Whole days until `validTo`; negative once expired. */
  daysRemaining: number;
  fingerprint256: string;
}

export interface TlsStep extends StepTiming {
  servername: string | null;
  protocol: string | null;
  cipher: string | null;
  alpn: string | null;
  /** Whether the certificate chain and host name verify as a browser would check them. */
  authorized: boolean | null;
  verificationError: StepError | null;
  certificate: CertificateSummary | null;
}

export type HeaderList = Array<[name: string, value: string]>;

export interface UpgradeRequestSummary {
  requestLine: string;
  /** Headers as sent, except secret values (Cookie, Authorization …) shown as `<redacted, N bytes>`. */
  headers: HeaderList;
}

export interface UpgradeResponseSummary {
  statusLine: string;
  httpVersion: string;
  statusCode: number;
  statusText: string;
  headers: HeaderList;
  /** First bytes of the body of a non-101 answer, as text with control bytes escaped. */
  bodyStart: string;
  /** Body bytes received (at most the probe's body limit). */
  bodyBytes: number;
  bodyTruncated: boolean;
}

/** `valid` matched, `invalid` differs, `missing` absent in a 101, `not_applicable` no 101. */
export type AcceptCheck = 'valid' | 'invalid' | 'missing' | 'not_applicable';

export interface UpgradeStep extends StepTiming {
  request: UpgradeRequestSummary | null;
  response: UpgradeResponseSummary | null;
  acceptCheck: AcceptCheck;
  expectedAccept: string | null;
  requestedSubprotocols: string[];
  /** Negotiated subprotocol, null when the server chose none. */
  subprotocol: string | null;
  /** Negotiated extensions as the server wrote them, null when none. */
  extensions: string | null;
}

/** How the connection ended while held. */
export type HoldEnd = 'hold_elapsed' | 'close_frame' | 'tcp_fin' | 'tcp_reset' | 'socket_error' | 'protocol_error';

/** `completed` both close frames exchanged, `no_reply` the other side never answered ours, `not_attempted` TCP ended first. */
export type CloseHandshake = 'completed' | 'no_reply' | 'not_attempted';

export interface HoldStep extends StepTiming {
  /** The `--hold` duration, or the short settle window without it. */
  requestedMs: number;
  /** Time from open to the end of the connection. */
  heldMs: number | null;
  /** The user ended the hold early (Ctrl-C); timeouts longer than `heldMs` were not measured. */
  interrupted: boolean;
  /** `probe` ended it (hold elapsed), `remote` is the server or anything between the probe and the server. */
  endedBy: 'probe' | 'remote' | null;
  end: HoldEnd | null;
  closeCode: number | null;
  closeReason: string | null;
  closeCodeDescription: string | null;
  closeHandshake: CloseHandshake | null;
  /** Time without a frame in either direction before the end. */
  idleBeforeEndMs: number | null;
  pingIntervalMs: number | null;
  pingsSent: number;
  pongsReceived: number;
  /** Round trip of the last answered ping. */
  lastPingRttMs: number | null;
  pingsReceived: number;
  messagesReceived: number;
  bytesReceived: number;
  /** First data message received, as text (escaped, truncated). */
  firstMessage: string | null;
}

export interface ProbeSteps {
  dns: DnsStep;
  tcp: TcpStep;
  tls: TlsStep;
  upgrade: UpgradeStep;
  hold: HoldStep;
}

export interface ProbeVerdict {
  /** True when the endpoint opened and, with `--hold`, stayed up. */
  ok: boolean;
  /** A cause id of the taxonomy, null when the verdict is ok. */
  cause: CauseId | null;
  title: string;
  explanation: string;
  remediation: string;
  /** What the probe saw that led to this verdict, one fact per line. */
  evidence: string[];
}

export interface ProbeReport {
  schema: typeof PROBE_REPORT_SCHEMA;
  /** The probed URL, scrubbed of credentials and secret query values. */
  url: string;
  startedAt: string;
  durationMs: number;
  /** Things a user should know that are not the verdict (e.g. verification skipped with --insecure). */
  notes: string[];
  steps: ProbeSteps;
  verdict: ProbeVerdict;
  exitCode: number;
}
