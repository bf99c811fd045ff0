import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { ATTR_ERROR_TYPE, ATTR_HTTP_STATUS, EVENT_ERROR, EVENT_OPEN, type CauseId } from '@closewatch/conventions';
import { ATTR_EXCEPTION_MESSAGE } from '@opentelemetry/semantic-conventions';
import { endConnection } from './connection-end.js';
import type { ConnectionRecord } from './connection-record.js';
import { coarseNow } from './coarse-clock.js';
import { noteTerminateAfterPing } from './heartbeat.js';
import { patchMethod } from './method-patch.js';
import { noteEngineIoReceived, noteEngineIoSent } from './engine-io-session.js';
import { payloadSize } from './payload-size.js';
import { errorTypeOf, unlistenToSocket } from './socket-listeners.js';
import { forgetRecordOfWebSocket, recordOf, recordOfWebSocket } from './connection-records.js';
import { CONNECTING, OPEN, type WsSocketInternals } from './ws-internals.js';

type RecordedWebSocket = WsSocketInternals;
type Method = (this: RecordedWebSocket, ...args: unknown[]) => unknown;

const ABORTED_BY_CLIENT: CauseId = 'handshake_aborted_by_client';
const UNEXPECTED_RESPONSE = /^Unexpected server response: (\d{3})$/;

function liveRecord(ws: RecordedWebSocket): ConnectionRecord | undefined {
  const record = recordOfWebSocket(ws);
  return record === undefined || record.ended ? undefined : record;
}

function noteError(record: ConnectionRecord, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const status = UNEXPECTED_RESPONSE.exec(message);
  if (status && record.responseStatus === 0) record.responseStatus = Number(status[1]);
  const type = record.responseStatus > 101 ? `http_${record.responseStatus}` : errorTypeOf(error);
  record.noteError(type);
  record.span.addEvent(EVENT_ERROR, { [ATTR_ERROR_TYPE]: type, [ATTR_EXCEPTION_MESSAGE]: message });
}

function noteEmitted(ws: RecordedWebSocket, record: ConnectionRecord, event: string, first: unknown, second: unknown): void {
  switch (event) {
    case 'message':
      record.messagesReceived++;
      record.bytesReceived += payloadSize(first);
      record.lastFrameAt = coarseNow();
      if (record.app !== undefined) noteEngineIoReceived(record.app, record, first, second);
      return;
    case 'ping':
      record.noteFrame();
      return;
    case 'pong':
      record.noteFrame();
      record.lastPongReceivedAt = record.lastFrameAt;
      return;
    case 'error':
      noteError(record, first);
      return;
    case 'unexpected-response': {
      const status = (second as { statusCode?: unknown } | undefined)?.statusCode;
      if (typeof status === 'number') {
        record.responseStatus = status;
        record.span.setAttribute(ATTR_HTTP_STATUS, status);
        record.noteError(`http_${status}`);
      }
      return;
    }
    case 'close':
      forgetRecordOfWebSocket(ws);
      endConnection(record, ws, first as number, second);
      return;
  }
}

/** Every ws event passes here: counters, errors and the end of the span, without adding listeners. */
function wrapEmit(original: Method): Method {
  return function emit(this: RecordedWebSocket, event: unknown, first: unknown, second: unknown) {
    // `open` and `upgrade` tell the agent nothing it has not seen in setSocket: no lookup for them.
    const record = event === 'open' || event === 'upgrade' ? undefined : recordOfWebSocket(this);
    if (record !== undefined && !record.ended && typeof event === 'string') {
      try {
        noteEmitted(this, record, event, first, second);
      } catch {
        // Recording must never change what the app's listeners get.
      }
    }
    return original.apply(this, arguments as unknown as unknown[]);
  };
}

function noteOpened(ws: RecordedWebSocket, record: ConnectionRecord, socket: Duplex): void {
  record.openedAt = performance.now();
  record.websocket = ws;
  record.span.addEvent(EVENT_OPEN);
  // ws watches the socket from here on; one listener fewer makes every later listener change cheaper.
  if (record.side === 'server') unlistenToSocket(socket);
}

/** ws calls setSocket when the upgrade completed on either side: the connection is OPEN from here. */
function wrapSetSocket(original: Method): Method {
  return function setSocket(this: RecordedWebSocket, socket: unknown) {
    const recorded = socket as Duplex;
    try {
      const record = recordOf(this._isServer ? recorded : this);
      if (record && !record.ended) noteOpened(this, record, recorded);
    } catch {
      // The agent never throws into the app (docs/design.md); this connection just goes unrecorded.
    }
    return original.apply(this, arguments as unknown as unknown[]);
  };
}

function wrapSend(original: Method): Method {
  return function send(this: RecordedWebSocket, data: unknown, options: unknown) {
    const record = recordOfWebSocket(this);
    if (record !== undefined && this._readyState === OPEN && !record.ended) {
      try {
        if ((options as { fin?: boolean } | undefined)?.fin !== false) record.messagesSent++;
        record.bytesSent += payloadSize(data);
        record.lastFrameAt = coarseNow();
        if (record.app !== undefined) noteEngineIoSent(record.app, record, data);
      } catch {
        // Counting must never break a send.
      }
    }
    return original.apply(this, arguments as unknown as unknown[]);
  };
}

function wrapPing(original: Method): Method {
  return function ping(this: RecordedWebSocket) {
    const record = recordOfWebSocket(this);
    if (record !== undefined && this._readyState === OPEN && !record.ended) {
      record.noteFrame();
      record.lastPingSentAt = record.lastFrameAt;
    }
    return original.apply(this, arguments as unknown as unknown[]);
  };
}

function wrapPong(original: Method): Method {
  return function pong(this: RecordedWebSocket) {
    const record = recordOfWebSocket(this);
    if (record !== undefined && this._readyState === OPEN && !record.ended) record.noteFrame();
    return original.apply(this, arguments as unknown as unknown[]);
  };
}

function noteClose(ws: RecordedWebSocket, record: ConnectionRecord, code: unknown): void {
  const state = ws._readyState;
  if (state === CONNECTING) {
    record.noteInitiator(record.side);
    if (record.side === 'client') record.causeHint ??= ABORTED_BY_CLIENT;
    return;
  }
  if (ws._closeFrameReceived && record.closeReceivedAt === 0) {
    record.noteInitiator(record.peer);
    record.closeReceivedAt = performance.now();
    record.closeReceivedCode = (ws as unknown as { _closeCode: number })._closeCode;
  }
  if (state === OPEN) {
    record.noteInitiator(record.side);
    record.closeSentAt = performance.now();
    record.closeSentCode = typeof code === 'number' ? code : undefined;
  }
}

function wrapClose(original: Method): Method {
  return function close(this: RecordedWebSocket, code: unknown) {
    const record = liveRecord(this);
    if (record) {
      try {
        noteClose(this, record, code);
      } catch {
        // Recording must never break a close.
      }
    }
    return original.apply(this, arguments as unknown as unknown[]);
  };
}

function noteTerminate(ws: RecordedWebSocket, record: ConnectionRecord): void {
  if (ws._readyState === CONNECTING) {
    record.noteInitiator(record.side);
    if (record.side === 'client') record.causeHint ??= ABORTED_BY_CLIENT;
    return;
  }
  if (record.termination === undefined) noteTerminateAfterPing(record);
  record.noteInitiator(record.side);
  record.noteTermination('terminate');
}

function wrapTerminate(original: Method): Method {
  return function terminate(this: RecordedWebSocket) {
    const record = liveRecord(this);
    if (record && this.readyState !== 3) {
      try {
        noteTerminate(this, record);
      } catch {
        // Recording must never break a terminate.
      }
    }
    return original.apply(this, arguments as unknown as unknown[]);
  };
}

/** Patches ws's `WebSocket.prototype`; shared by `require('ws')` and `import … from 'ws'`. */
export function patchWebSocketPrototype(proto: object): void {
  patchMethod(proto, 'emit', wrapEmit);
  patchMethod(proto, 'setSocket', wrapSetSocket);
  patchMethod(proto, 'send', wrapSend);
  patchMethod(proto, 'ping', wrapPing);
  patchMethod(proto, 'pong', wrapPong);
  patchMethod(proto, 'close', wrapClose);
  patchMethod(proto, 'terminate', wrapTerminate);
}
