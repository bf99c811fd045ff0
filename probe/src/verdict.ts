import { formatDuration } from './duration.js';
import { handshakeVerdict } from './handshake-verdict.js';
import { holdVerdict } from './hold-verdict.js';
import type { ProbeOptions } from './options.js';
import type { ProbeSteps, ProbeVerdict } from './report.js';

/** The verdict in the cause taxonomy's terms: the first thing that went wrong, or an ok verdict. */
export function decideVerdict(steps: ProbeSteps, options: ProbeOptions): ProbeVerdict {
  return handshakeVerdict(steps, options.insecure) ?? holdVerdict(steps.hold, steps.upgrade) ?? openVerdict(steps, options);
}

function openVerdict(steps: ProbeSteps, options: ProbeOptions): ProbeVerdict {
  const { upgrade, hold } = steps;
  const negotiated = [
    `subprotocol ${upgrade.subprotocol === null ? 'none' : JSON.stringify(upgrade.subprotocol)}`,
    `extensions ${upgrade.extensions ?? 'none'}`,
  ].join(', ');
  const evidence = [`101 Switching Protocols with a valid Sec-WebSocket-Accept; ${negotiated}`];
  if (options.holdMs === null) {
    return {
      ok: true,
      cause: null,
      title: 'The endpoint accepts WebSocket connections',
      explanation:
        'The upgrade a browser would send succeeded: the server answered 101, the accept key is right and the negotiation is one a browser accepts. If clients still see 1006, the connection is cut later, while open.',
      remediation:
        'Run again with --hold 90s to see whether something in the path cuts an idle connection, and with --ping 25s to check that pings keep it open.',
      evidence,
    };
  }
  const pings =
    options.pingIntervalMs === null
      ? 'idle, no pings'
      : `a ping every ${formatDuration(options.pingIntervalMs)}, ${hold.pongsReceived} of ${hold.pingsSent} answered`;
  evidence.push(`held ${formatDuration(hold.heldMs ?? 0)} (${pings}); the probe closed with 1000 and the server answered`);
  return {
    ok: true,
    cause: null,
    title: `The connection stayed open for ${formatDuration(hold.interrupted ? (hold.heldMs ?? 0) : options.holdMs)}`,
    explanation:
      'The upgrade succeeded and nothing between the probe and the server cut the connection during the hold. Timeouts longer than the hold are not measured.',
    remediation:
      options.pingIntervalMs === null
        ? 'Nothing to fix for this duration. Common proxy idle timeouts are 60 s (nginx, AWS ALB) and 100 s (Cloudflare): hold longer than those to rule them out.'
        : 'Nothing to fix for this duration: a ping at this interval keeps the path open. Clients should ping (or send data) at least this often.',
    evidence,
  };
}
