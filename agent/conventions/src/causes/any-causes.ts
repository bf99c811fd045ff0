import type { CauseEntry } from './cause-info.js';

type OtherCauseId = 'close_handshake_timeout' | 'normal_closure' | 'application_close' | 'unknown';

/** Causes of the closing phase and causes that can end a connection in any phase. */
export const OTHER_CAUSES: Record<OtherCauseId, CauseEntry> = {
  close_handshake_timeout: {
    phase: 'closing',
    title: 'Closing handshake timed out',
    explanation:
      'One side sent a close frame and the peer never answered with its own close frame, so the closing handshake timed out and the connection was torn down (ws waits 30 s before destroying the socket). The peer was gone or blocked, or a proxy dropped the frame. The side that waited reports 1006 instead of the code it sent.',
    remediation:
      "Usually the peer disappeared while closing; treat it like a lost connection. If it happens with healthy peers, check that the peer's event loop is not blocked and that proxies pass close frames. On shutdown, do not exit before close handshakes finish or a bounded wait (5–10 s) passes.",
  },
  normal_closure: {
    phase: 'any',
    title: 'Normal closure',
    explanation:
      'The connection ended with a complete closing handshake and code 1000 (normal), 1001 (going away) or 1005 (a close frame without a code): one side decided to close and the other acknowledged it. Nothing failed.',
    remediation:
      'Nothing to fix. If these closes were not expected, check which side initiated them (websocket.close.initiator) and with what reason, and search that side of the application for its close() calls.',
  },
  application_close: {
    phase: 'any',
    title: 'Closed by the application with its own code',
    explanation:
      "The connection was closed on purpose with a code between 3000 and 4999: 3000–3999 are registered by libraries and frameworks (3000 Unauthorized, 3003 Forbidden, 3008 Timeout), 4000–4999 are private codes the application defines, such as 4001 for an expired token. The meaning is the application's own; the reason string usually says more.",
    remediation:
      'Look the code up in your application or library; it was sent deliberately. Send codes with a short reason (at most 123 bytes UTF-8) using closeWithDetail from @closewatch/agent-node, and document your 4000–4999 codes next to the client reconnect policy (which codes should reconnect and which must not).',
  },
  unknown: {
    phase: 'any',
    title: 'Unknown',
    explanation:
      "The connection ended abnormally, usually with 1006, and the records that arrived do not say why. Most often only one side reported it: the browser cannot see HTTP statuses, server terminations or proxy timeouts, and the server cannot see the browser's network, visibility or navigation state.",
    remediation:
      'The evidence says which record is missing. Where an agent is missing, install it: the Node agent on the server (node --import @closewatch/agent-node/register) and the browser snippet on the page, and make sure the browser propagates trace context to the server host (data-propagate-to) so both sides join. `closewatch probe <url>` checks the handshake and, with --hold, the idle behaviour of the path.',
  },
};
