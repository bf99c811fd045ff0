import { performance } from 'node:perf_hooks';
import {
  ATTR_BUFFERED_AMOUNT,
  ATTR_BYTES_RECEIVED,
  ATTR_BYTES_SENT,
  ATTR_CAUSE_HINT,
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
  ATTR_SUBPROTOCOL,
  ATTR_TERMINATION,
  EVENT_CLOSE_FRAME_RECEIVED,
  EVENT_CLOSE_FRAME_SENT,
  truncateCloseReason,
  type CauseId,
  type Phase,
} from '@closewatch/conventions';
import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { exportState, liveConnections } from './agent-state.js';
import type { ConnectionRecord } from './connection-record.js';
import { stopAwaitingResponse } from './handshake-response.js';
import { noteSocketError } from './socket-listeners.js';
import type { WsSocketInternals } from './ws-internals.js';

/** Abnormal closure: what either side reports when no close frame arrived. */
const ABNORMAL_CLOSURE = 1006;

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function counterAttributes(record: ConnectionRecord, now: number): Attributes {
  const attributes: Attributes = {
    ...record.startAttributes,
    [ATTR_OPENED]: record.opened,
    [ATTR_MESSAGES_SENT]: record.messagesSent,
    [ATTR_MESSAGES_RECEIVED]: record.messagesReceived,
    [ATTR_BYTES_SENT]: record.bytesSent,
    [ATTR_BYTES_RECEIVED]: record.bytesReceived,
  };
  if (record.opened) {
    attributes[ATTR_HANDSHAKE_DURATION_MS] = round(record.openedAt - record.startedAt);
    attributes[ATTR_OPEN_DURATION_MS] = round(now - record.openedAt);
    attributes[ATTR_IDLE_BEFORE_CLOSE_MS] = round(now - (record.lastFrameAt || record.openedAt));
  } else {
    attributes[ATTR_HANDSHAKE_DURATION_MS] = round(now - record.startedAt);
  }
  if (record.causeHint) attributes[ATTR_CAUSE_HINT] = record.causeHint;
  if (record.errorType) attributes[ATTR_ERROR_TYPE] = record.errorType;
  return attributes;
}

function endSpan(record: ConnectionRecord, attributes: Attributes): void {
  record.ended = true;
  stopAwaitingResponse(record);
  record.websocket = undefined;
  liveConnections.delete(record);
  record.span.setAttributes(attributes);
  if (record.errorType) record.span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorType });
  record.span.end();
  exportState.spansSinceFlush = true;
}

/** A server upgrade that never reached OPEN: rejected with a status, or its socket went away first. */
export function endHandshakeFailure(record: ConnectionRecord): void {
  if (record.ended) return;
  const attributes = counterAttributes(record, performance.now());
  attributes[ATTR_PHASE] = 'handshake' satisfies Phase;
  attributes[ATTR_TERMINATION] = record.termination ?? 'abort_handshake';
  if (record.responseStatus !== 0) {
    attributes[ATTR_HTTP_STATUS] = record.responseStatus;
    attributes[ATTR_ERROR_TYPE] = `http_${record.responseStatus}`;
  }
  endSpan(record, attributes);
}

const SUBPROTOCOL_MISMATCH: CauseId = 'handshake_subprotocol_mismatch';

/**
 * The server answered 101 without a subprotocol the client asked for, and the client dropped the
 * socket before a single frame: from the client's side the handshake failed.
 */
function clientRefusedSubprotocol(record: ConnectionRecord, ws: WsSocketInternals): boolean {
  return (
    record.side === 'server' &&
    record.protocolsRequested &&
    !ws._protocol &&
    record.lastFrameAt === 0 &&
    !ws._closeFrameReceived &&
    !ws._closeFrameSent
  );
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

/** The ws `close` event of either side: code and reason as that side saw them. */
export function endConnection(record: ConnectionRecord, ws: WsSocketInternals, code: number, reason: unknown): void {
  if (record.ended) return;
  if (clientRefusedSubprotocol(record, ws)) record.causeHint ??= SUBPROTOCOL_MISMATCH;
  noteSocketError(record, ws._socket, ws._closeFrameSent && ws._closeFrameReceived);
  addCloseFrameEvents(record, code);
  const attributes = counterAttributes(record, performance.now());
  if (record.opened) {
    attributes[ATTR_SUBPROTOCOL] = ws._protocol ?? '';
    attributes[ATTR_EXTENSIONS] = ws.extensions ?? '';
  }
  const wasClean = ws._closeFrameSent && ws._closeFrameReceived;
  attributes[ATTR_CLOSE_CODE] = code;
  attributes[ATTR_CLOSE_REASON] = truncateCloseReason(Buffer.isBuffer(reason) ? reason.toString('utf8') : String(reason ?? ''));
  attributes[ATTR_CLOSE_WAS_CLEAN] = wasClean;
  attributes[ATTR_CLOSE_INITIATOR] = record.initiator ?? 'unknown';
  attributes[ATTR_PHASE] = phaseOf(record, ws);
  if (record.responseStatus !== 0 && record.responseStatus !== 101) {
    attributes[ATTR_HTTP_STATUS] = record.responseStatus;
  }
  if (record.side === 'client') {
    attributes[ATTR_BUFFERED_AMOUNT] = ws.bufferedAmount;
  } else {
    attributes[ATTR_TERMINATION] = record.termination ?? (ws._closeFrameSent || ws._closeFrameReceived ? 'close' : 'socket_end');
  }
  endSpan(record, attributes);
}

/** The process is exiting with this connection still open or mid-handshake. */
export function endAtProcessExit(record: ConnectionRecord): void {
  if (record.ended) return;
  record.noteTermination('process_exit');
  const attributes = counterAttributes(record, performance.now());
  attributes[ATTR_PHASE] = (record.opened ? 'open' : 'handshake') satisfies Phase;
  attributes[ATTR_CLOSE_CODE] = ABNORMAL_CLOSURE;
  attributes[ATTR_CLOSE_WAS_CLEAN] = false;
  attributes[ATTR_CLOSE_INITIATOR] = record.side;
  if (record.side === 'server') attributes[ATTR_TERMINATION] = 'process_exit';
  const ws = record.websocket;
  if (record.opened && ws) {
    attributes[ATTR_SUBPROTOCOL] = ws._protocol ?? '';
    attributes[ATTR_EXTENSIONS] = ws.extensions ?? '';
  }
  endSpan(record, attributes);
}
