import { performance } from 'node:perf_hooks';
import {
  ATTR_BUFFERED_AMOUNT,
  ATTR_BYTES_RECEIVED,
  ATTR_BYTES_SENT,
  ATTR_CAUSE_HINT,
  ATTR_CLIENT_ADDRESS,
  ATTR_CLOSE_CODE,
  ATTR_CLOSE_INITIATOR,
  ATTR_CLOSE_REASON,
  ATTR_CLOSE_WAS_CLEAN,
  ATTR_ERROR_TYPE,
  ATTR_EXTENSIONS,
  ATTR_HANDSHAKE_DURATION_MS,
  ATTR_HTTP_STATUS,
  ATTR_IDLE_BEFORE_CLOSE_MS,
  ATTR_MESSAGES_RECEIVED,
  ATTR_MESSAGES_SENT,
  ATTR_OPEN_DURATION_MS,
  ATTR_OPENED,
  ATTR_PHASE,
  ATTR_PROPAGATED,
  ATTR_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SUBPROTOCOL,
  ATTR_SUBPROTOCOLS_REQUESTED,
  ATTR_TERMINATION,
  ATTR_URL_FULL,
  ATTR_USER_AGENT,
  CLOSE_ABNORMAL,
  EVENT_CLOSE_FRAME_RECEIVED,
  EVENT_CLOSE_FRAME_SENT,
  truncateCloseReason,
  type CauseId,
  type Phase,
  type Termination,
} from '@closewatch/conventions';
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { exportState, liveConnections } from './agent-state.js';
import type { ConnectionRecord } from './connection-record.js';
import { stopAwaitingResponse } from './handshake-response.js';
import { endEngineIoSession } from './engine-io-close.js';
import { noteEventLoopStall } from './event-loop-stall.js';
import { noteSocketError } from './socket-listeners.js';
import type { WsSocketInternals } from './ws-internals.js';

/** Abnormal closure: what either side reports when no close frame arrived. */
const SUBPROTOCOL_MISMATCH: CauseId = 'handshake_subprotocol_mismatch';

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * Everything but the close: one setAttribute per key, no attribute objects built per connection.
 * Empty lists and strings the collector reads as absent anyway are left out: at 20 attributes or more
 * the SDK keeps a span's attributes in a V8 dictionary, which costs more than the rest of the span.
 */
function setRecordedAttributes(record: ConnectionRecord, span: Span, now: number): void {
  span.setAttribute(ATTR_URL_FULL, record.url);
  span.setAttribute(ATTR_ROUTE, record.route);
  if (record.subprotocolsRequested.length > 0) span.setAttribute(ATTR_SUBPROTOCOLS_REQUESTED, record.subprotocolsRequested);
  if (record.serverAddress) span.setAttribute(ATTR_SERVER_ADDRESS, record.serverAddress);
  if (record.serverPort !== undefined) span.setAttribute(ATTR_SERVER_PORT, record.serverPort);
  if (record.clientAddress) span.setAttribute(ATTR_CLIENT_ADDRESS, record.clientAddress);
  if (record.userAgent) span.setAttribute(ATTR_USER_AGENT, record.userAgent);
  if (record.propagated !== undefined) span.setAttribute(ATTR_PROPAGATED, record.propagated);
  span.setAttribute(ATTR_OPENED, record.opened);
  span.setAttribute(ATTR_MESSAGES_SENT, record.messagesSent);
  span.setAttribute(ATTR_MESSAGES_RECEIVED, record.messagesReceived);
  span.setAttribute(ATTR_BYTES_SENT, record.bytesSent);
  span.setAttribute(ATTR_BYTES_RECEIVED, record.bytesReceived);
  if (record.opened) {
    span.setAttribute(ATTR_HANDSHAKE_DURATION_MS, round(record.openedAt - record.startedAt));
    span.setAttribute(ATTR_OPEN_DURATION_MS, round(now - record.openedAt));
    span.setAttribute(ATTR_IDLE_BEFORE_CLOSE_MS, round(now - Math.max(record.lastFrameAt, record.openedAt)));
  } else {
    span.setAttribute(ATTR_HANDSHAKE_DURATION_MS, round(now - record.startedAt));
  }
  if (record.causeHint) span.setAttribute(ATTR_CAUSE_HINT, record.causeHint);
  if (record.errorType) span.setAttribute(ATTR_ERROR_TYPE, record.errorType);
}

function setNegotiated(span: Span, ws: WsSocketInternals): void {
  span.setAttribute(ATTR_SUBPROTOCOL, ws._protocol ?? '');
  const extensions = ws.extensions;
  if (extensions) span.setAttribute(ATTR_EXTENSIONS, extensions);
}

function endSpan(record: ConnectionRecord): void {
  record.ended = true;
  stopAwaitingResponse(record);
  record.websocket = undefined;
  liveConnections.delete(record);
  if (record.errorType) record.span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorType });
  record.span.end();
  exportState.spansSinceFlush = true;
}

/** A server upgrade that never reached OPEN: rejected with a status, or its socket went away first. */
export function endHandshakeFailure(record: ConnectionRecord): void {
  if (record.ended) return;
  const span = record.span;
  setRecordedAttributes(record, span, performance.now());
  span.setAttribute(ATTR_PHASE, 'handshake' satisfies Phase);
  span.setAttribute(ATTR_TERMINATION, record.termination ?? ('abort_handshake' satisfies Termination));
  if (record.responseStatus !== 0) {
    span.setAttribute(ATTR_HTTP_STATUS, record.responseStatus);
    span.setAttribute(ATTR_ERROR_TYPE, `http_${record.responseStatus}`);
  }
  endSpan(record);
}

/**
 * The server answered 101 without a subprotocol the client asked for, and the client dropped the
 * socket before a single frame: from the client's side the handshake failed.
 */
function clientRefusedSubprotocol(record: ConnectionRecord, ws: WsSocketInternals): boolean {
  return record.side === 'server' && record.protocolsRequested && !ws._protocol && record.lastFrameAt === 0 && !ws._closeFrameReceived && !ws._closeFrameSent;
}

/** The phase a connection ended in: a started but unfinished closing handshake is `closing`. */
function phaseOf(record: ConnectionRecord, ws: WsSocketInternals): Phase {
  if (!record.opened || clientRefusedSubprotocol(record, ws)) return 'handshake';
  return ws._closeFrameSent !== ws._closeFrameReceived ? 'closing' : 'open';
}

/**
 * The close frames as events, with the time they happened; only when they tell more than the
 * close code (a sent 1009 while the close event says 1006), to keep a plain close cheap.
 */
function addCloseFrameEvents(record: ConnectionRecord, code: number): void {
  if (record.closeSentAt !== 0 && record.closeSentCode !== code) {
    record.span.addEvent(EVENT_CLOSE_FRAME_SENT, record.closeSentCode === undefined ? {} : { [ATTR_CLOSE_CODE]: record.closeSentCode }, record.closeSentAt);
  }
  if (record.closeReceivedAt !== 0 && record.closeReceivedCode !== code) {
    record.span.addEvent(EVENT_CLOSE_FRAME_RECEIVED, { [ATTR_CLOSE_CODE]: record.closeReceivedCode }, record.closeReceivedAt);
  }
}

/** ws hands the reason over as a Buffer: most closes carry none, which needs no decoding. */
function closeReasonOf(reason: unknown): string {
  if (Buffer.isBuffer(reason)) return reason.length === 0 ? '' : truncateCloseReason(reason.toString('utf8'));
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a reason that is not a Buffer is kept as its text, whatever it is
  return reason === undefined || reason === null || reason === '' ? '' : truncateCloseReason(String(reason));
}

/** The ws `close` event of either side: code and reason as that side saw them. */
export function endConnection(record: ConnectionRecord, ws: WsSocketInternals, code: number, reason: unknown): void {
  if (record.ended) return;
  const wasClean = ws._closeFrameSent && ws._closeFrameReceived;
  if (clientRefusedSubprotocol(record, ws)) record.causeHint ??= SUBPROTOCOL_MISMATCH;
  noteSocketError(record, ws._socket, wasClean);
  try {
    if (record.app !== undefined && record.opened) endEngineIoSession(record.app, record);
    noteEventLoopStall(record);
  } catch {
    // What the app protocol said is extra: the span still ends with everything else.
  }
  addCloseFrameEvents(record, code);
  const span = record.span;
  setRecordedAttributes(record, span, performance.now());
  if (record.opened) setNegotiated(span, ws);
  span.setAttribute(ATTR_CLOSE_CODE, code);
  const closeReason = closeReasonOf(reason);
  if (closeReason !== '') span.setAttribute(ATTR_CLOSE_REASON, closeReason);
  span.setAttribute(ATTR_CLOSE_WAS_CLEAN, wasClean);
  span.setAttribute(ATTR_CLOSE_INITIATOR, record.initiator ?? 'unknown');
  span.setAttribute(ATTR_PHASE, phaseOf(record, ws));
  if (record.responseStatus !== 0 && record.responseStatus !== 101) span.setAttribute(ATTR_HTTP_STATUS, record.responseStatus);
  if (record.side === 'client') {
    span.setAttribute(ATTR_BUFFERED_AMOUNT, ws.bufferedAmount);
  } else {
    span.setAttribute(ATTR_TERMINATION, record.termination ?? (ws._closeFrameSent || ws._closeFrameReceived ? 'close' : 'socket_end'));
  }
  endSpan(record);
}

/** The process is exiting with this connection still open or mid-handshake. */
export function endAtProcessExit(record: ConnectionRecord): void {
  if (record.ended) return;
  record.noteTermination('process_exit');
  const span = record.span;
  setRecordedAttributes(record, span, performance.now());
  const ws = record.websocket;
  if (record.opened && ws) setNegotiated(span, ws);
  span.setAttribute(ATTR_PHASE, (record.opened ? 'open' : 'handshake') satisfies Phase);
  span.setAttribute(ATTR_CLOSE_CODE, CLOSE_ABNORMAL);
  span.setAttribute(ATTR_CLOSE_WAS_CLEAN, false);
  span.setAttribute(ATTR_CLOSE_INITIATOR, record.side);
  if (record.side === 'server') span.setAttribute(ATTR_TERMINATION, 'process_exit' satisfies Termination);
  endSpan(record);
}
