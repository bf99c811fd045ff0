import {
  CLOSE_GOING_AWAY,
  CLOSE_INVALID_PAYLOAD,
  CLOSE_MANDATORY_EXTENSION,
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_NO_STATUS,
  CLOSE_NORMAL,
  CLOSE_POLICY_VIOLATION,
  CLOSE_PROTOCOL_ERROR,
  CLOSE_SERVICE_RESTART,
  CLOSE_TRY_AGAIN_LATER,
  CLOSE_UNSUPPORTED_DATA,
  describeCloseCode,
  matchIntermediaryTimeouts,
  type CauseId,
} from '@closewatch/conventions';
import { formatDuration } from './duration.js';
import { detectIntermediaries } from './intermediary-hints.js';
import type { HoldStep, ProbeVerdict, UpgradeStep } from './report.js';
import { problemVerdict } from './verdict-text.js';

/** Below this much silence, an abrupt end is the server's doing rather than an idle timeout. */
const MIN_IDLE_TIMEOUT_MS = 1_000;

/** The verdict when the open connection ended before the hold did, or null when it stayed up. */
export function holdVerdict(hold: HoldStep, upgrade: UpgradeStep): ProbeVerdict | null {
  if (hold.end === 'hold_elapsed' && hold.closeHandshake !== 'no_reply') return null;
  const after = `after ${formatDuration(hold.heldMs ?? 0)} open, ${formatDuration(hold.idleBeforeEndMs ?? 0)} without a frame`;
  switch (hold.end) {
    case 'hold_elapsed':
      return problemVerdict('close_handshake_timeout', [`the probe sent close 1000 ${after}; ${hold.error?.message ?? 'no close frame came back'}`]);
    case 'close_frame':
      return closeFrameVerdict(hold, after);
    case 'tcp_fin':
    case 'tcp_reset':
      return abruptEndVerdict(hold, upgrade, after);
    case 'protocol_error':
      return problemVerdict('unknown', [`the probe failed the connection: ${hold.error?.message ?? 'protocol error'}`]);
    default:
      return problemVerdict('connection_lost', [`the connection failed ${after}: ${hold.error?.message ?? 'socket error'}`]);
  }
}

function closeFrameVerdict(hold: HoldStep, after: string): ProbeVerdict {
  const code = hold.closeCode ?? CLOSE_NO_STATUS;
  const reason = hold.closeReason ? ` reason ${JSON.stringify(hold.closeReason)}` : ' (no reason)';
  const evidence = [`the server sent close ${code} (${describeCloseCode(code).name})${reason} ${after}`];
  if (hold.firstMessage !== null) evidence.push(`first message before the close: ${JSON.stringify(hold.firstMessage)}`);
  return problemVerdict(causeOfCloseCode(code), evidence);
}

function causeOfCloseCode(code: number): CauseId {
  if (code === CLOSE_NORMAL || code === CLOSE_GOING_AWAY || code === CLOSE_NO_STATUS) return 'normal_closure';
  if (code === CLOSE_SERVICE_RESTART || code === CLOSE_TRY_AGAIN_LATER) return 'server_shutdown';
  if (
    [CLOSE_PROTOCOL_ERROR, CLOSE_UNSUPPORTED_DATA, CLOSE_INVALID_PAYLOAD, CLOSE_POLICY_VIOLATION, CLOSE_MESSAGE_TOO_BIG, CLOSE_MANDATORY_EXTENSION].includes(
      code,
    )
  )
    return 'server_rejected_frame';
  if (code >= 3000 && code <= 4999) return 'application_close';
  return 'unknown';
}

function abruptEndVerdict(hold: HoldStep, upgrade: UpgradeStep, after: string): ProbeVerdict {
  const how = hold.end === 'tcp_reset' ? 'reset the TCP connection (RST)' : 'closed TCP (FIN)';
  const evidence = [`the server or something in between ${how} without a close frame ${after}`, 'a browser reports this as 1006'];
  const idleMs = hold.idleBeforeEndMs ?? 0;
  const lifetimes = matchIntermediaryTimeouts(hold.heldMs ?? 0, 'lifetime');
  if (idleMs < MIN_IDLE_TIMEOUT_MS && lifetimes.length > 0) {
    const limits = lifetimes.map((match) => `${match.name}: ${match.setting}, default ${match.timeoutMs / 1000} s`);
    evidence.push(`the connection was not idle, but ${formatDuration(hold.heldMs ?? 0)} open matches a connection lifetime limit: ${limits.join('; ')}`);
    return problemVerdict('intermediary_timeout', evidence);
  }
  if (idleMs < MIN_IDLE_TIMEOUT_MS) {
    evidence.push('the connection was not idle, so this is the server ending it (terminate() or a destroyed socket), not a timeout');
    return problemVerdict('server_terminated', evidence);
  }
  evidence.push(...idleTimeoutEvidence(idleMs, hold));
  const proxies = upgrade.response ? detectIntermediaries(upgrade.response.headers) : [];
  if (proxies.length > 0) evidence.push(`the upgrade response came through ${proxies.join(', ')}`);
  return problemVerdict('intermediary_timeout', evidence);
}

function idleTimeoutEvidence(idleMs: number, hold: HoldStep): string[] {
  const seconds = Math.round(idleMs / 1000);
  const matches = matchIntermediaryTimeouts(idleMs, 'idle');
  const lines =
    matches.length > 0
      ? matches.map((match) => `${formatDuration(idleMs)} idle matches ${match.name}: ${match.setting}, default ${match.timeoutMs / 1000} s`)
      : [
          `${formatDuration(idleMs)} idle matches no common default: an idle timeout of about ${seconds} s is configured in the path (e.g. nginx proxy_read_timeout ${seconds}s; nginx's default is 60 s)`,
        ];
  if (hold.pingsSent === 0) lines.push(`send a ping or message more often than every ${seconds} s to keep the connection alive (try --ping)`);
  return lines;
}
