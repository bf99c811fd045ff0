import * as A from '../attributes.js';
import type { SideEvent } from '../classify-types.js';
import type { ClassifyContext } from './context.js';
import type { SideFacts } from './side-facts.js';
import { duration, sinceStart } from './wording.js';
import { CLOSE_ABNORMAL, CLOSE_GOING_AWAY } from '../close-code-values.js';

/**
 * Facts the rules test, each returning a sentence (the evidence) or null. A rule fires when its
 * signal is present; the sentence says what was seen, with values.
 */

/** Events may be stamped a little after the close they explain. */
const EVENT_SLACK_MS = 1_000;
/** A page that became visible or resumed this shortly before the drop was suspended until then. */
const RESUME_WINDOW_MS = 30_000;
/** A drop this long after the browser came back online is no longer blamed on the outage. */
const ONLINE_AGAIN_GRACE_MS = 60_000;
/** A server that accepted without a subprotocol and lost the socket this fast saw the client fail it. */
const QUICK_DROP_MS = 1_000;

const ABRUPT_TERMINATIONS = new Set(['socket_error', 'socket_end', 'terminate', 'process_exit']);
const NETWORK_ERRNO = /^E[A-Z]{3,}/;
const TLS_ERROR = /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME/i;
const TIMEOUT_ERROR = /time[ds]?[_ -]?out/i;
const SUBPROTOCOL_MESSAGE = /subprotocol/i;
const BROWSER_BLOCK_ERRORS = new Set(['SecurityError', 'SyntaxError', 'InvalidAccessError', 'constructor_threw']);

/** The latest of these events up to the end of the span (plus `slackMs`): the events are in time order, so from the back. */
function lastEvent(side: SideFacts, names: readonly string[], slackMs = EVENT_SLACK_MS): SideEvent | undefined {
  const { events } = side;
  const latestMs = side.endTimeMs + slackMs;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (names.includes(event.name) && event.timeMs <= latestMs) return event;
  }
  return undefined;
}

const PAGEHIDE = [A.EVENT_BROWSER_PAGEHIDE];
const OFFLINE = [A.EVENT_BROWSER_OFFLINE];
const AWAY = [A.EVENT_BROWSER_HIDDEN, A.EVENT_BROWSER_FREEZE];
const BACK = [A.EVENT_BROWSER_VISIBLE, A.EVENT_BROWSER_RESUME];
const CLOSE_SENT = [A.EVENT_CLOSE_FRAME_SENT];
const PING_TIMEOUT = [A.EVENT_PING_TIMEOUT];
const CSP_VIOLATION = [A.EVENT_SECURITY_POLICY_VIOLATION];

/** The OpenTelemetry key of an error event's message (the Node agent records ws's error messages). */
const EXCEPTION_MESSAGE = 'exception.message';

/** The first `websocket.error` event message matching `pattern`, e.g. ws's "Opening handshake has timed out". */
export function errorMessage(side: SideFacts, pattern: RegExp): string | null {
  for (const event of side.events) {
    const message = event.name === A.EVENT_ERROR ? event.attributes?.[EXCEPTION_MESSAGE] : undefined;
    if (typeof message === 'string' && pattern.test(message)) return message;
  }
  return null;
}

/** The side ended without a completed closing handshake. */
export function isAbrupt(side: SideFacts): boolean {
  if (side.code === CLOSE_ABNORMAL || side.wasClean === false) return true;
  if (side.termination && ABRUPT_TERMINATIONS.has(side.termination)) return true;
  return side.code === undefined && side.errorType !== undefined;
}

/** How the side ended, in words: `the server saw the socket end (socket_end), close code 1006`. */
export function abruptEnding(side: SideFacts): string {
  const parts: string[] = [];
  if (side.termination && side.termination !== 'close') parts.push(`termination ${side.termination}`);
  if (side.errorType) parts.push(`error ${side.errorType}`);
  if (side.code !== undefined) parts.push(`close code ${side.code}`);
  return `${side.who} saw an abrupt end (${parts.join(', ') || 'no close frame'}) ${sinceStart(side, side.endTimeMs)}`;
}

export function isNetworkErrorType(errorType: string | undefined): boolean {
  return errorType !== undefined && (NETWORK_ERRNO.test(errorType) || TLS_ERROR.test(errorType));
}

export function isTimeoutErrorType(errorType: string | undefined): boolean {
  return errorType !== undefined && !isNetworkErrorType(errorType) && TIMEOUT_ERROR.test(errorType);
}

export function browserBlockSignal(client: SideFacts): string | null {
  const violation = lastEvent(client, CSP_VIOLATION);
  if (violation) {
    const directive = violation.attributes?.[A.ATTR_CSP_DIRECTIVE];
    const blockedUri = violation.attributes?.[A.ATTR_CSP_BLOCKED_URI];
    const detail = [directive && `directive ${String(directive)}`, blockedUri && `blocked ${String(blockedUri)}`].filter(Boolean).join(', ');
    return `a Content-Security-Policy violation${detail ? ` (${detail})` : ''} was reported ${sinceStart(client, violation.timeMs)}`;
  }
  if (client.errorType === 'SyntaxError')
    return 'the WebSocket constructor threw SyntaxError (an invalid URL or a duplicate subprotocol), before any request was sent';
  if (client.errorType && BROWSER_BLOCK_ERRORS.has(client.errorType)) {
    return `the browser refused the connection with ${client.errorType} (mixed content: ws:// from an https:// page, or a blocked port), before any request was sent`;
  }
  if (client.hint === 'handshake_blocked_by_browser') return 'the browser agent recorded that the browser blocked the connection';
  return null;
}

export function unloadSignal(side: SideFacts): string | null {
  if (side.side === 'server') {
    return side.code === CLOSE_GOING_AWAY && side.initiator === 'client'
      ? 'the client closed with 1001 (Going Away), as browsers do when a page unloads'
      : null;
  }
  // The close follows a pagehide that caused it, so no slack here.
  const pagehide = lastEvent(side, PAGEHIDE, 0);
  if (pagehide)
    return `the page fired pagehide ${sinceStart(side, pagehide.timeMs)}, ${duration(Math.max(0, side.endTimeMs - pagehide.timeMs))} before the close`;
  if (side.pageUnloading === true) return 'the page was unloading when the connection closed';
  if (side.code === CLOSE_GOING_AWAY && side.initiator === 'client' && side.who === 'the browser')
    return 'the browser closed with 1001 (Going Away), as it does when a page unloads';
  return null;
}

export function offlineSignal(client: SideFacts): string | null {
  if (client.online === false) return 'the browser was offline (navigator.onLine false) when the connection closed';
  const offline = lastEvent(client, OFFLINE);
  if (offline) {
    const online = client.events.find((event) => event.name === A.EVENT_BROWSER_ONLINE && event.timeMs >= offline.timeMs);
    const before = `${duration(Math.max(0, client.endTimeMs - offline.timeMs))} before the connection dropped`;
    if (!online) return `the browser went offline ${sinceStart(client, offline.timeMs)}, ${before}`;
    if (client.endTimeMs - online.timeMs > ONLINE_AGAIN_GRACE_MS) return null;
    return `the browser went offline ${sinceStart(client, offline.timeMs)} for ${duration(online.timeMs - offline.timeMs)}, ${before}`;
  }
  const hasOnlineEvents = client.events.some((event) => event.name === A.EVENT_BROWSER_ONLINE);
  if (client.wentOffline === true && !hasOnlineEvents) return 'the browser went offline during the connection';
  return null;
}

export function suspendSignal(client: SideFacts): string | null {
  if (client.frozen === true) return 'the page was frozen (Page Lifecycle) before the connection dropped';
  if (client.visibilityState === 'hidden') return 'the page was hidden when the connection dropped';
  const away = lastEvent(client, AWAY);
  const back = lastEvent(client, BACK);
  if (away && (!back || back.timeMs < away.timeMs)) {
    return `the page became ${away.name === A.EVENT_BROWSER_FREEZE ? 'frozen' : 'hidden'} ${sinceStart(client, away.timeMs)} and stayed so until the drop`;
  }
  if (away && back && client.endTimeMs - back.timeMs <= RESUME_WINDOW_MS) {
    return `the page was ${away.name === A.EVENT_BROWSER_FREEZE ? 'frozen' : 'hidden'} for ${duration(back.timeMs - away.timeMs)} and the connection dropped ${duration(Math.max(0, client.endTimeMs - back.timeMs))} after it came back`;
  }
  const hasVisibilityEvents = client.events.some((event) => event.name === A.EVENT_BROWSER_HIDDEN || event.name === A.EVENT_BROWSER_VISIBLE);
  if (client.wasHidden === true && !hasVisibilityEvents) return 'the page was hidden during the connection';
  return null;
}

export function subprotocolSignal(ctx: ClassifyContext): string | null {
  const { client, server } = ctx;
  const requested = client?.subprotocolsRequested.length ? client.subprotocolsRequested : (server?.subprotocolsRequested ?? []);
  if (server?.hint === 'handshake_subprotocol_mismatch') {
    const offered = requested.map((name) => `"${name}"`).join(', ');
    const chosen = server.subprotocol ? `"${server.subprotocol}"` : 'none';
    const detail = offered ? `the client offered ${offered} and the server selected ${chosen}` : 'the server selected none of the offered subprotocols';
    return `the server agent recorded a subprotocol mismatch (handleProtocols): ${detail}`;
  }
  const refusal = client && ctx.failedHandshake ? errorMessage(client, SUBPROTOCOL_MESSAGE) : null;
  if (refusal) return `${client?.who} failed the handshake: "${refusal}"`;
  if (!server || server.subprotocol === undefined || requested.length === 0) return null;
  if (server.subprotocol !== '' && requested.includes(server.subprotocol)) return null;
  const chosen = server.subprotocol === '' ? 'selecting none' : `selecting "${server.subprotocol}", which was not offered`;
  const offer = `the client asked for subprotocols ${requested.map((name) => `"${name}"`).join(', ')} and the server answered 101 ${chosen}`;
  if (client && ctx.failedHandshake) return offer;
  const lifetime = server.openMs ?? server.endTimeMs - server.startTimeMs;
  if (!client && isAbrupt(server) && lifetime <= QUICK_DROP_MS) return `${offer}; the client dropped the connection ${duration(lifetime)} later`;
  return null;
}

export function closeHandshakeSignal(side: SideFacts): string | null {
  const sent = lastEvent(side, CLOSE_SENT);
  const received = sent && side.events.find((event) => event.name === A.EVENT_CLOSE_FRAME_RECEIVED && event.timeMs >= sent.timeMs);
  if (side.phase === 'closing' && side.wasClean !== true) {
    const waited = sent ? `, waited ${duration(side.endTimeMs - sent.timeMs)} for the reply` : '';
    return `${side.who} sent a close frame and ended in the closing phase without the peer's close frame${waited}`;
  }
  if (sent && !received && isAbrupt(side)) {
    return `${side.who} sent a close frame ${sinceStart(side, sent.timeMs)} and no close frame came back in ${duration(side.endTimeMs - sent.timeMs)}`;
  }
  return null;
}

export function heartbeatSignal(server: SideFacts): string | null {
  const timeout = lastEvent(server, PING_TIMEOUT);
  if (timeout) return `the server's heartbeat recorded a missed pong (websocket.ping_timeout) ${sinceStart(server, timeout.timeMs)}`;
  if (server.hint === 'server_heartbeat_timeout') return 'the server agent recorded that the heartbeat terminated the connection after a missed pong';
  return null;
}
