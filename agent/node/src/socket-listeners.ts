import type { Duplex } from 'node:stream';
import { ATTR_ERROR_TYPE, EVENT_ERROR } from '@closewatch/conventions';
import { liveConnections } from './agent-state.js';
import { endHandshakeFailure } from './connection-end.js';
import type { ConnectionRecord } from './connection-record.js';
import { stopAwaitingResponse } from './handshake-response.js';
import { forgetSocket, recordOfSocket } from './socket-records.js';

type RecordedSocket = Duplex;

/** The errno of a socket error (`ECONNRESET`, `EPIPE`, `ETIMEDOUT` …), else the error's name. */
export function errorTypeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return error instanceof Error ? error.name : 'Error';
}

/** Socket `error`: keeps the errno as the way this connection ended, unless the closing handshake was already done. */
function socketOnErrorRecord(this: RecordedSocket, error: unknown): void {
  try {
    const record = recordOfSocket(this);
    if (!record || record.ended) return;
    const type = errorTypeOf(error);
    record.span.addEvent(EVENT_ERROR, { [ATTR_ERROR_TYPE]: type });
    const ws = record.websocket;
    if (ws && ws._closeFrameSent && ws._closeFrameReceived) return;
    record.noteTermination('socket_error');
    record.noteError(type);
  } catch {
    // Recording must never throw into the socket's error handling.
  }
}

/** Socket `close` before the upgrade completed: the span of a rejected or abandoned handshake ends here. */
function socketOnCloseRecord(this: RecordedSocket): void {
  try {
    const record = recordOfSocket(this);
    if (!record) return;
    if (record.opened) return;
    forgetSocket(this);
    stopAwaitingResponse(record);
    if (record.responseStatus === 101) {
      // Something other than ws (a proxy) completed this upgrade: not a ws connection, no span.
      record.ended = true;
      liveConnections.delete(record);
      return;
    }
    endHandshakeFailure(record);
  } catch {
    // Recording must never throw into the socket's close handling.
  }
}

/** Watches the socket's end; an error listener only once the app or ws has one, so no crash is swallowed. */
export function listenToSocket(socket: RecordedSocket, record: ConnectionRecord): void {
  socket.once('close', socketOnCloseRecord);
  addErrorListenerIfHandled(socket, record);
}

export function addErrorListenerIfHandled(socket: RecordedSocket, record: ConnectionRecord): void {
  if (record.errorListenerAdded || socket.listenerCount('error') === 0) return;
  record.errorListenerAdded = true;
  socket.on('error', socketOnErrorRecord);
}
