import type { AppCloseCodeInfo } from '../app-close-codes.js';
import type { CauseId } from '../cause-ids.js';
import type { ClassifyContext } from './context.js';
import type { SideFacts } from './side-facts.js';
import {
  abruptEnding,
  browserBlockSignal,
  closeHandshakeSignal,
  errorMessage,
  heartbeatSignal,
  isAbrupt,
  isNetworkErrorType,
  isTimeoutErrorType,
  offlineSignal,
  subprotocolSignal,
  suspendSignal,
  unloadSignal,
} from './signals.js';
import {
  clientFailure,
  first,
  hinted,
  httpRejection,
  intermediaryMatch,
  isAppCode,
  isAuthStatus,
  isFrameRejectCode,
  isInternalErrorCode,
  isShutdownCode,
  isTimeoutStatus,
  serverClosedWith,
  serverConsequence,
  statusEvidence,
  statusSide,
} from './facts.js';
import {
  appCloseCodeOf,
  appCloseCodeMeaning,
  appCloseCodeSide,
  appReasonSentence,
  appReasons,
  appServerHeartbeatSignal,
  appShutdownSide,
  clientHeartbeatSignal,
  connectRefusalSentence,
  connectRefusalSide,
  parseErrorSignal,
  serverDisconnectSide,
} from './app-signals.js';
import { closeSeen, duration, handshakeDuration, sentence, sinceStart } from './wording.js';
import { CLOSE_ABNORMAL, CLOSE_GOING_AWAY, CLOSE_NO_STATUS, CLOSE_NORMAL, CLOSE_TLS_HANDSHAKE } from '../close-code-values.js';
import { SNAPSHOT_RULES } from './snapshot-rules.js';
import { intermediaryDrop, intermediaryDropEvidence, serverGoneDrop, serverGoneEvidence } from './mass-drop.js';

/** One row of the classification table: the first rule whose `when` holds decides the cause. */
export interface ClassifyRule {
  id: string;
  /** The cause, or how to read it from the context (the agent-hint row). */
  cause: CauseId | ((ctx: ClassifyContext) => CauseId);
  when(ctx: ClassifyContext): boolean;
  /** Sentences with the facts that made the rule fire; only called when `when` held. */
  evidence(ctx: ClassifyContext): string[];
}

/** ws client error messages (lib/websocket.js) the Node agent records on `websocket.error` events. */
const CLIENT_ABORT_MESSAGE = /closed before the connection was established/i;
const HANDSHAKE_TIMEOUT_MESSAGE = /handshake has timed out/i;
const NOT_UPGRADED_MESSAGE = /Invalid Upgrade header|Sec-WebSocket-Accept/i;

const hasUnloadSignal = (side: SideFacts) => unloadSignal(side) !== null;
const hasCloseHandshakeSignal = (side: SideFacts) => closeHandshakeSignal(side) !== null;
const hasAppCode = (side: SideFacts) => isAppCode(side.code);
const sawAbnormalClosure = (side: SideFacts) => side.code === CLOSE_ABNORMAL;
const sawNormalClosure = (side: SideFacts) =>
  (side.code === CLOSE_NORMAL || side.code === CLOSE_GOING_AWAY || side.code === CLOSE_NO_STATUS) && side.wasClean !== false;

/** The server agent saw the upgrade request answered with a plain 2xx: an HTTP handler, not a WebSocket endpoint, took it. */
function isPlainHttpAnswer(server: SideFacts | undefined): boolean {
  return server?.status !== undefined && server.status >= 200 && server.status < 300;
}

function reportedHandshakeTimeout(side: SideFacts): boolean {
  return side.hint === 'handshake_timeout' || isTimeoutErrorType(side.errorType) || errorMessage(side, HANDSHAKE_TIMEOUT_MESSAGE) !== null;
}

/** What each side saw of a completed closing handshake. */
function normalClosureEvidence(ctx: ClassifyContext): string[] {
  const facts: string[] = [];
  for (const side of ctx.sides) {
    if (side.code !== undefined) facts.push(sentence(`${closeSeen(side)}${side.wasClean ? ', closing handshake completed' : ''}`));
  }
  return [...facts, ...appReasons(ctx).map(sentence)];
}

/** The classification table, in priority order. Earlier rows hold more direct evidence. */
export const CLASSIFY_RULES: readonly ClassifyRule[] = [
  // A 401/403 from the server is the cause whatever the browser saw (it only sees 1006).
  {
    id: 'handshake.auth_status',
    cause: 'handshake_auth_rejected',
    when: (ctx) => statusSide(ctx, isAuthStatus) !== undefined,
    evidence: (ctx) => statusEvidence(ctx, statusSide(ctx, isAuthStatus) as SideFacts),
  },
  // Any other error status on the upgrade, from the server span or a Node client's http_NNN (408/504 are timeouts).
  {
    id: 'handshake.http_status',
    cause: 'handshake_http_rejected',
    when: (ctx) => httpRejection(ctx) !== undefined,
    evidence: (ctx) => statusEvidence(ctx, httpRejection(ctx) as SideFacts),
  },
  // The server accepted without one of the offered subprotocols, so the client had to fail the connection.
  {
    id: 'handshake.subprotocol',
    cause: 'handshake_subprotocol_mismatch',
    when: (ctx) => subprotocolSignal(ctx) !== null,
    evidence: (ctx) => [sentence(subprotocolSignal(ctx) as string), ...(ctx.client ? [sentence(clientFailure(ctx))] : [])],
  },
  // The constructor threw or CSP blocked the URL: nothing left the browser.
  {
    id: 'handshake.browser_block',
    cause: 'handshake_blocked_by_browser',
    when: (ctx) => ctx.client !== undefined && ctx.failedHandshake && browserBlockSignal(ctx.client) !== null,
    evidence: (ctx) => [sentence(browserBlockSignal(ctx.client as SideFacts) as string)],
  },
  // Navigation, tab close or bfcache closes sockets in any phase; the server's view of it is a consequence.
  {
    id: 'page.unload',
    cause: 'page_unload',
    when: (ctx) => ctx.sides.some(hasUnloadSignal),
    evidence: (ctx) =>
      ctx.sides
        .map(unloadSignal)
        .filter((text): text is string => text !== null)
        .map(sentence),
  },
  // The application closed its own socket while CONNECTING (the Node agent also hints it).
  {
    id: 'handshake.client_abort',
    cause: 'handshake_aborted_by_client',
    when: (ctx) =>
      ctx.failedHandshake &&
      ctx.client !== undefined &&
      (ctx.client.initiator === 'client' || ctx.client.hint === 'handshake_aborted_by_client' || errorMessage(ctx.client, CLIENT_ABORT_MESSAGE) !== null),
    evidence: (ctx) => [
      sentence(
        `the application closed the socket (close() while CONNECTING) ${duration(handshakeDuration(ctx.client as SideFacts))} after creating it, before the handshake completed`,
      ),
    ],
  },
  // Explicit network failure: errno or TLS error, close code 1015, an offline device, or an HTTP re-check that failed.
  {
    id: 'handshake.network_error',
    cause: 'handshake_network_error',
    when: (ctx) => {
      const { client } = ctx;
      if (!ctx.failedHandshake || !client) return false;
      return (
        isNetworkErrorType(client.errorType) ||
        client.code === CLOSE_TLS_HANDSHAKE ||
        client.onlineAtStart === false ||
        client.online === false ||
        client.httpReachable === false
      );
    },
    evidence: (ctx) => {
      const client = ctx.client as SideFacts;
      const facts: string[] = [];
      if (client.errorType && isNetworkErrorType(client.errorType)) facts.push(`${client.who} failed with ${client.errorType} before any HTTP answer`);
      if (client.code === CLOSE_TLS_HANDSHAKE) facts.push('the close code was 1015: the TLS handshake failed');
      if (client.onlineAtStart === false || client.online === false) facts.push('the browser was offline while connecting');
      if (client.httpReachable === false) facts.push('an HTTP request to the same URL also failed with a network error');
      facts.push(`the handshake failed after ${duration(handshakeDuration(client))}${ctx.server ? '' : ' and no server reported the connection'}`);
      return facts.map(sentence);
    },
  },
  // A gateway timed out (408/504), the client library gave up, or the failed handshake took longer than the limit.
  {
    id: 'handshake.timeout',
    cause: 'handshake_timeout',
    when: (ctx) =>
      ctx.failedHandshake &&
      (statusSide(ctx, isTimeoutStatus) !== undefined ||
        ctx.sides.some(reportedHandshakeTimeout) ||
        (ctx.client !== undefined && handshakeDuration(ctx.client) >= ctx.options.handshakeTimeoutMs)),
    evidence: (ctx) => {
      const status = statusSide(ctx, isTimeoutStatus);
      const facts = status ? [`${status.who} got HTTP ${status.status} (a gateway or server timeout) for the upgrade request`] : [];
      for (const side of ctx.sides) {
        if (isTimeoutErrorType(side.errorType)) facts.push(`${side.who} reported ${side.errorType}`);
        const message = errorMessage(side, HANDSHAKE_TIMEOUT_MESSAGE);
        if (message) facts.push(`${side.who} reported "${message}"`);
      }
      const client = ctx.client;
      if (client) {
        const took = handshakeDuration(client);
        const limit = ctx.options.handshakeTimeoutMs;
        facts.push(
          took >= limit
            ? `the handshake was still not complete after ${duration(took)} (limit ${duration(limit)})`
            : `the handshake failed after ${duration(took)}`,
        );
      }
      return facts.map(sentence);
    },
  },
  // Something answered over HTTP, but not with an upgrade: a server agent saw a plain 2xx answer, or none saw the request.
  {
    id: 'handshake.not_websocket',
    cause: 'handshake_not_websocket',
    when: (ctx) => {
      const { client } = ctx;
      if (isPlainHttpAnswer(ctx.server)) return true;
      if (!ctx.failedHandshake || !client || ctx.server) return false;
      if (client.status !== undefined && client.status >= 200 && client.status < 400) return true;
      if (errorMessage(client, NOT_UPGRADED_MESSAGE) !== null) return true;
      return client.httpReachable === true && client.propagated !== false;
    },
    evidence: (ctx) => {
      if (isPlainHttpAnswer(ctx.server)) {
        const server = ctx.server as SideFacts;
        return [
          sentence(
            `the server answered the WebSocket upgrade request with HTTP ${server.status} instead of 101: an HTTP handler without an upgrade listener took it, so the URL points at an endpoint that does not speak WebSocket`,
          ),
          ...(ctx.client ? [sentence(clientFailure(ctx))] : []),
        ];
      }
      const client = ctx.client as SideFacts;
      const facts: string[] = [];
      if (client.status !== undefined) facts.push(`the endpoint answered the upgrade request with HTTP ${client.status}, not 101`);
      const message = errorMessage(client, NOT_UPGRADED_MESSAGE);
      if (message) facts.push(`${client.who} rejected the answer as not a WebSocket upgrade: "${message}"`);
      if (client.httpReachable === true) facts.push('an HTTP request to the same URL got an answer, so the host is reachable');
      facts.push('no Closewatch server agent reported this connection');
      return facts.map(sentence);
    },
  },
  // A failure within a few ms with no server span: nothing answered (refused, DNS), too fast for an HTTP round trip.
  {
    id: 'handshake.fast_failure',
    cause: 'handshake_network_error',
    when: (ctx) => ctx.failedHandshake && ctx.client !== undefined && !ctx.server && handshakeDuration(ctx.client) <= ctx.options.fastFailureMs,
    evidence: (ctx) => [
      sentence(`the handshake failed after only ${duration(handshakeDuration(ctx.client as SideFacts))} and no server reported the connection`),
      'Most likely nothing accepted the connection (refused, or the host did not resolve); a proxy answering an error before any server saw the request looks the same from a browser. `closewatch probe <url>` tells which.',
    ],
  },
  // The server process stopped: it recorded its own exit, or closed with 1001/1012/1013.
  {
    id: 'server.shutdown',
    cause: 'server_shutdown',
    when: (ctx) =>
      ctx.server?.termination === 'process_exit' ||
      ctx.server?.hint === 'server_shutdown' ||
      appShutdownSide(ctx) !== undefined ||
      serverClosedWith(ctx, isShutdownCode) !== undefined,
    evidence: (ctx) => {
      const facts: string[] = [];
      if (ctx.server?.termination === 'process_exit')
        facts.push(`the server process exited while the connection was open, ${sinceStart(ctx.server, ctx.server.endTimeMs)}`);
      if (ctx.server?.hint === 'server_shutdown') facts.push('the server agent recorded a shutdown');
      const closer = serverClosedWith(ctx, isShutdownCode);
      if (closer) facts.push(`${closeSeen(closer)}: the server announced it was going away or restarting`);
      return [...facts, ...appReasons(ctx)].map(sentence);
    },
  },
  // The server refused a frame: protocol-error close codes or a ws WS_ERR_* error.
  {
    id: 'server.rejected_frame',
    cause: 'server_rejected_frame',
    when: (ctx) => ctx.server?.errorType?.startsWith('WS_ERR_') === true || serverClosedWith(ctx, isFrameRejectCode) !== undefined,
    evidence: (ctx) => {
      const facts: string[] = [];
      if (ctx.server?.errorType?.startsWith('WS_ERR_')) facts.push(`the server's ws receiver raised ${ctx.server.errorType}`);
      const closer = serverClosedWith(ctx, isFrameRejectCode);
      if (closer) facts.push(closeSeen(closer));
      return facts.map(sentence);
    },
  },
  // engine.io could not decode a packet the client sent and closed the connection.
  {
    id: 'app.parse_error',
    cause: 'server_rejected_frame',
    when: (ctx) => parseErrorSignal(ctx.server) !== null,
    evidence: (ctx) => [sentence(parseErrorSignal(ctx.server) as string), ...(ctx.client ? [sentence(closeSeen(ctx.client))] : [])],
  },
  // A close code the connection's app protocol defines (graphql-ws 4401, 4408 …) says what happened.
  {
    id: 'app.close_code',
    cause: (ctx) => (appCloseCodeOf(appCloseCodeSide(ctx) as SideFacts) as AppCloseCodeInfo).cause,
    when: (ctx) => appCloseCodeSide(ctx) !== undefined,
    evidence: (ctx) => {
      const side = appCloseCodeSide(ctx) as SideFacts;
      return [sentence(closeSeen(side)), sentence(appCloseCodeMeaning(appCloseCodeOf(side) as AppCloseCodeInfo))];
    },
  },
  // The app protocol refused the client after the upgrade (a socket.io middleware error, an unknown namespace).
  {
    id: 'app.connect_rejected',
    cause: 'app_connect_rejected',
    when: (ctx) => connectRefusalSide(ctx) !== undefined,
    evidence: (ctx) => [sentence(connectRefusalSentence(connectRefusalSide(ctx) as SideFacts)), ...ctx.sides.map((side) => sentence(closeSeen(side)))],
  },
  // The server application ended the session on purpose (socket.io socket.disconnect(), a kick): a clean close that is no leave.
  {
    id: 'app.server_disconnect',
    cause: 'application_close',
    when: (ctx) => serverDisconnectSide(ctx) !== undefined,
    evidence: (ctx) => [
      sentence(`${appReasonSentence(serverDisconnectSide(ctx) as SideFacts)}: the server application disconnected the client (socket.disconnect())`),
      ...ctx.sides.filter((side) => side !== serverDisconnectSide(ctx)).map((side) => sentence(appReasonSentence(side) ?? closeSeen(side))),
    ],
  },
  // A 3000–4999 code is the application's own, deliberate decision.
  {
    id: 'close.application_code',
    cause: 'application_close',
    when: (ctx) => ctx.sides.some(hasAppCode),
    evidence: (ctx) => [sentence(closeSeen(first(ctx.sides, hasAppCode) as SideFacts))],
  },
  // The browser went offline and the connection dropped; server-side errors and heartbeats are its consequence.
  {
    id: 'client.offline',
    cause: 'client_offline',
    when: (ctx) => ctx.client !== undefined && isAbrupt(ctx.client) && offlineSignal(ctx.client) !== null,
    evidence: (ctx) => [sentence(offlineSignal(ctx.client as SideFacts) as string), sentence(abruptEnding(ctx.client as SideFacts)), ...serverConsequence(ctx)],
  },
  // The tab was hidden or frozen (or the device slept) before the drop; heartbeats stopped because of it.
  {
    id: 'client.suspended',
    cause: 'client_suspended',
    when: (ctx) => ctx.client !== undefined && isAbrupt(ctx.client) && suspendSignal(ctx.client) !== null,
    evidence: (ctx) => [sentence(suspendSignal(ctx.client as SideFacts) as string), sentence(abruptEnding(ctx.client as SideFacts)), ...serverConsequence(ctx)],
  },
  // No browser close came: the client's last open-connection snapshot says what the page was doing.
  ...SNAPSHOT_RULES,
  // The client's app-level heartbeat gave up on a silent server (engine.io "ping timeout" on the client, or a server stall).
  {
    id: 'app.client_heartbeat',
    cause: 'client_heartbeat_timeout',
    when: (ctx) => clientHeartbeatSignal(ctx) !== null,
    evidence: (ctx) => [
      sentence(clientHeartbeatSignal(ctx) as string),
      ...ctx.sides.map((side) => sentence(closeSeen(side))),
      ...appReasons(ctx).map(sentence),
    ],
  },
  // engine.io's server heartbeat got no pong: a clean close (1005), unlike ws's terminate, so before the closing-handshake and normal rows.
  {
    id: 'app.server_heartbeat',
    cause: 'server_heartbeat_timeout',
    when: (ctx) => appServerHeartbeatSignal(ctx.server) !== null,
    evidence: (ctx) => [
      sentence(appServerHeartbeatSignal(ctx.server) as string),
      ...ctx.sides.map((side) => sentence(closeSeen(side))),
      ...(ctx.client && appReasonSentence(ctx.client) ? [sentence(appReasonSentence(ctx.client) as string)] : []),
    ],
  },
  // One side sent a close frame and the peer never answered it.
  {
    id: 'close.handshake_timeout',
    cause: 'close_handshake_timeout',
    when: (ctx) => ctx.sides.some(hasCloseHandshakeSignal),
    evidence: (ctx) =>
      ctx.sides
        .map(closeHandshakeSignal)
        .filter((text): text is string => text !== null)
        .map(sentence),
  },
  // A completed closing handshake with 1000/1001/1005, and no side saw an abnormal end.
  {
    id: 'close.normal',
    cause: 'normal_closure',
    when: (ctx) => !ctx.sides.some(sawAbnormalClosure) && ctx.sides.some(sawNormalClosure),
    evidence: normalClosureEvidence,
  },
  // The server's heartbeat missed a pong and terminated the connection.
  {
    id: 'server.heartbeat',
    cause: 'server_heartbeat_timeout',
    when: (ctx) => ctx.server !== undefined && heartbeatSignal(ctx.server) !== null,
    evidence: (ctx) => [sentence(heartbeatSignal(ctx.server as SideFacts) as string), sentence(abruptEnding(ctx.server as SideFacts))],
  },
  // An agent knew the cause first-hand (e.g. its heartbeat terminated the socket) and recorded it as a hint.
  {
    id: 'agent.hint',
    cause: (ctx) => (hinted(ctx) as SideFacts).hint as CauseId,
    when: (ctx) => hinted(ctx) !== undefined,
    evidence: (ctx) => {
      const side = hinted(ctx) as SideFacts;
      return [sentence(`the ${side.side} agent recorded the cause ${side.hint}`), sentence(closeSeen(side))];
    },
  },
  // The server called terminate() or closed with 1011 after an internal error.
  {
    id: 'server.terminate',
    cause: 'server_terminated',
    when: (ctx) => ctx.server?.termination === 'terminate' || serverClosedWith(ctx, isInternalErrorCode) !== undefined,
    evidence: (ctx) => {
      const server = ctx.server;
      if (server?.termination === 'terminate') {
        const facts = [`the server called terminate() ${sinceStart(server, server.endTimeMs)}, without sending a close frame`];
        if (ctx.client) facts.push(`${closeSeen(ctx.client)}, all a client can report without a close frame`);
        return facts.map(sentence);
      }
      return [sentence(`${closeSeen(serverClosedWith(ctx, isInternalErrorCode) as SideFacts)}: an unexpected error on the server`)];
    },
  },
  // Many clients of one address and route lost their connections at once, no server reported any, and the
  // server instance on that route had stopped reporting: the server died without closing (mass-drop.ts).
  {
    id: 'mass.server_gone',
    cause: 'server_gone',
    when: (ctx) => serverGoneDrop(ctx) !== undefined,
    evidence: serverGoneEvidence,
  },
  // Many connections of one server instance and route ended abruptly at once, and the server saw them end:
  // something between the two ends dropped them (a proxy reload, a load balancer).
  {
    id: 'mass.intermediary_dropped',
    cause: 'intermediary_dropped',
    when: (ctx) => intermediaryDrop(ctx) !== undefined,
    evidence: intermediaryDropEvidence,
  },
  // Every side that reported ended abruptly after an idle time (or lifetime) equal to a known proxy timeout.
  {
    id: 'network.intermediary_timeout',
    cause: 'intermediary_timeout',
    when: (ctx) => !ctx.failedHandshake && ctx.sides.length > 0 && ctx.sides.every(isAbrupt) && intermediaryMatch(ctx) !== null,
    evidence: (ctx) => [sentence(intermediaryMatch(ctx) as string), ...ctx.sides.map((side) => sentence(abruptEnding(side)))],
  },
  // Both sides ended abruptly (or the server alone saw its socket fail) and nothing better explains it.
  {
    id: 'network.connection_lost',
    cause: 'connection_lost',
    when: (ctx) => {
      const { client, server } = ctx;
      if (ctx.failedHandshake || !server) return false;
      if (client) return isAbrupt(client) && isAbrupt(server);
      return server.termination === 'socket_error' || server.termination === 'socket_end';
    },
    evidence: (ctx) => [
      ...ctx.sides.map((side) => sentence(abruptEnding(side))),
      ...ctx.sides
        .filter((side) => side.idleMs !== undefined)
        .map((side) => sentence(`${side.who} measured ${duration(side.idleMs as number)} idle before the end, which matches no known proxy timeout`)),
      ...appReasons(ctx).map(sentence),
    ],
  },
];

/** The cause a row decides for this context. */
export function ruleCause(rule: ClassifyRule, ctx: ClassifyContext): CauseId {
  return typeof rule.cause === 'function' ? rule.cause(ctx) : rule.cause;
}
