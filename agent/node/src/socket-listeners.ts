import type { Duplex } from 'node:stream';
import { ATTR_ERROR_TYPE, EVENT_ERROR } from '@closewatch/conventions';
import { liveConnections } from './agent-state.js';
import { endHandshakeFailure } from './connection-end.js';
import type { ConnectionRecord } from './connection-record.js';
import { stopAwaitingResponse } from './handshake-response.js';
import { forgetRecordOf, recordOf } from './connection-records.js';

/** The errno of a socket error (`ECONNRESET`, `EPIPE`, `ETIMEDOUT` …), else the error's name. */
export function errorTypeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return error instanceof Error ? error.name : 'Error';
}

/**
 * A socket destroyed by an error keeps it in `socket.errored`: read at the end instead of adding an
 * `error` listener, which would also stop an unhandled socket error from crashing the app.
 */
export function noteSocketError(record: ConnectionRecord, socket: Duplex | null | undefined, closingHandshakeDone: boolean): void {
  const error = socket?.errored;
  if (!error) return;
  const type = errorTypeOf(error);
  record.span.addEvent(EVENT_ERROR, { [ATTR_ERROR_TYPE]: type });
  if (closingHandshakeDone) return;
  record.noteTermination('socket_error');
  record.noteError(type);
}

/** Socket `close` before the upgrade completed: the span of a rejected or abandoned handshake ends here. */
function socketOnCloseRecord(this: Duplex): void {
  try {
    const record = recordOf(this);
    if (!record || record.opened) return;
    forgetRecordOf(this);
    stopAwaitingResponse(record);
    if (record.responseStatus === 101) {
      // Something other than ws (a proxy) completed this upgrade: not a ws connection, no span.
      record.ended = true;
      liveConnections.delete(record);
      return;
    }
    noteSocketError(record, this, false);
    endHandshakeFailure(record);
  } catch {
    // Recording must never throw into the socket's close handling.
  }
}

/** Watches for the socket closing before the upgrade completes. */
export function listenToSocket(socket: Duplex): void {
  socket.on('close', socketOnCloseRecord);
}

/** The upgrade completed: ws's own `close` listener reports the end from here. */
export function unlistenToSocket(socket: Duplex): void {
  socket.removeListener('close', socketOnCloseRecord);
}
