import { performance } from 'node:perf_hooks';
import {
  ATTR_APP_CLOSE_REASON,
  ATTR_APP_CONNECT_ERROR,
  ATTR_APP_PING_INTERVAL_MS,
  ATTR_APP_PING_TIMEOUT_MS,
  ATTR_APP_PROTOCOL,
  ENGINE_IO_FORCED_CLOSE,
  ENGINE_IO_PARSE_ERROR,
  ENGINE_IO_PING_TIMEOUT,
  ENGINE_IO_TRANSPORT_CLOSE,
  ENGINE_IO_TRANSPORT_ERROR,
  EVENT_PING_TIMEOUT,
  SOCKET_IO_CLIENT_NAMESPACE_DISCONNECT,
  SOCKET_IO_IO_CLIENT_DISCONNECT,
  SOCKET_IO_IO_SERVER_DISCONNECT,
  SOCKET_IO_SERVER_NAMESPACE_DISCONNECT,
  SOCKET_IO_SERVER_SHUTTING_DOWN,
  type CauseId,
} from '@closewatch/conventions';
import type { ConnectionRecord } from './connection-record.js';
import type { EngineIoSession } from './engine-io-session.js';
import { serverClosedAt } from './server-close-patch.js';

/** socket.io closes the transport right after writing a DISCONNECT: one this shortly before the close is why it began. */
const DISCONNECT_LEAD_MS = 1_000;
/** Frames are stamped by the coarse clock (up to 50 ms stale); engine.io's own timers fire on time. */
const TIMER_SLACK_MS = 100;
/** A server that closed its sockets and then itself within this time was shutting down (engine.io closes clients first). */
const SHUTDOWN_LEAD_MS = 1_000;
/** With engine.io's settings unknown, a ping gap this much longer than the longest seen means the client's timer fired. */
const PING_GAP_FACTOR = 1.25;

const SERVER_HEARTBEAT: CauseId = 'server_heartbeat_timeout';
const CLIENT_HEARTBEAT: CauseId = 'client_heartbeat_timeout';
const SERVER_SHUTDOWN: CauseId = 'server_shutdown';
const CONNECT_REJECTED: CauseId = 'app_connect_rejected';

/** When this side first learned of the close: its close frame or the peer's, else now (an abrupt end). */
function closeBeganAt(record: ConnectionRecord): number {
  const { closeSentAt, closeReceivedAt } = record;
  if (closeSentAt !== 0 && closeReceivedAt !== 0) return Math.min(closeSentAt, closeReceivedAt);
  return closeSentAt || closeReceivedAt || performance.now();
}

const shortlyBefore = (at: number, began: number, leadMs: number) => at !== 0 && began - at <= leadMs;

/** engine.io's server closes the transport when its ping got no pong within pingTimeout. */
function serverPingTimedOut(session: EngineIoSession, began: number): boolean {
  if (!session.serverPings || session.lastPingAt === 0 || session.lastPongAt >= session.lastPingAt) return false;
  return began - session.lastPingAt >= Math.max(TIMER_SLACK_MS, session.pingTimeoutMs - TIMER_SLACK_MS);
}

/** engine.io-client closes when no ping came within pingInterval + pingTimeout (or, those unknown, well past the usual gap). */
function clientPingTimedOut(session: EngineIoSession, record: ConnectionRecord, began: number): boolean {
  if (!session.serverPings) return false;
  const silentMs = began - (session.lastPingAt || record.openedAt);
  if (session.pingIntervalMs > 0) return silentMs >= session.pingIntervalMs + session.pingTimeoutMs - TIMER_SLACK_MS;
  return session.longestPingGapMs > 0 && silentMs >= session.longestPingGapMs * PING_GAP_FACTOR;
}

/** The server's own reason: engine.io's or socket.io's `close`/`disconnect` reason as the server app saw it. */
function serverReason(session: EngineIoSession, record: ConnectionRecord, began: number): string {
  if (shortlyBefore(session.disconnectSentAt, began, DISCONNECT_LEAD_MS)) return SOCKET_IO_SERVER_NAMESPACE_DISCONNECT;
  if (record.initiator === 'server') {
    if (serverPingTimedOut(session, began)) {
      record.causeHint ??= SERVER_HEARTBEAT;
      record.span.addEvent(EVENT_PING_TIMEOUT, {}, began);
      return ENGINE_IO_PING_TIMEOUT;
    }
    if (shortlyBefore(session.parseErrorAt, began, DISCONNECT_LEAD_MS)) return ENGINE_IO_PARSE_ERROR;
    const serverClosed = serverClosedAt(session.server);
    if (serverClosed !== 0 && began >= serverClosed - SHUTDOWN_LEAD_MS) {
      record.causeHint ??= SERVER_SHUTDOWN;
      return session.protocol === 'socket.io' ? SOCKET_IO_SERVER_SHUTTING_DOWN : ENGINE_IO_FORCED_CLOSE;
    }
    return ENGINE_IO_FORCED_CLOSE;
  }
  if (shortlyBefore(session.disconnectReceivedAt, began, DISCONNECT_LEAD_MS)) return SOCKET_IO_CLIENT_NAMESPACE_DISCONNECT;
  return record.errorType?.startsWith('WS_ERR_') ? ENGINE_IO_TRANSPORT_ERROR : ENGINE_IO_TRANSPORT_CLOSE;
}

/** The client's reason as socket.io-client / engine.io-client report it; undefined where the agent cannot tell. */
function clientReason(session: EngineIoSession, record: ConnectionRecord, began: number): string | undefined {
  if (shortlyBefore(session.disconnectSentAt, began, DISCONNECT_LEAD_MS)) return SOCKET_IO_IO_CLIENT_DISCONNECT;
  if (shortlyBefore(session.disconnectReceivedAt, began, DISCONNECT_LEAD_MS)) return SOCKET_IO_IO_SERVER_DISCONNECT;
  if (record.initiator === 'client') {
    // A refused client closes by itself; it has no disconnect reason, its connect_error is the record.
    if (session.connectError !== undefined) return undefined;
    if (!clientPingTimedOut(session, record, began)) return undefined;
    record.causeHint ??= CLIENT_HEARTBEAT;
    return ENGINE_IO_PING_TIMEOUT;
  }
  return record.errorType?.startsWith('WS_ERR_') ? ENGINE_IO_TRANSPORT_ERROR : ENGINE_IO_TRANSPORT_CLOSE;
}

/** At the ws `close` event: the framework, its own close reason and the heartbeat settings, onto the span. */
export function endEngineIoSession(session: EngineIoSession, record: ConnectionRecord): void {
  const began = closeBeganAt(record);
  const reason = record.side === 'server' ? serverReason(session, record, began) : clientReason(session, record, began);
  if (session.connectError !== undefined) record.causeHint ??= CONNECT_REJECTED;
  const span = record.span;
  span.setAttribute(ATTR_APP_PROTOCOL, session.protocol);
  if (reason !== undefined) span.setAttribute(ATTR_APP_CLOSE_REASON, reason);
  if (session.connectError !== undefined) span.setAttribute(ATTR_APP_CONNECT_ERROR, session.connectError);
  if (session.pingIntervalMs > 0) {
    span.setAttribute(ATTR_APP_PING_INTERVAL_MS, session.pingIntervalMs);
    span.setAttribute(ATTR_APP_PING_TIMEOUT_MS, session.pingTimeoutMs);
  }
}
