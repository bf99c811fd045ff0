import type net from 'node:net';
import type { ConnectionRecord } from './connection-record.js';
import { addLayer, removeLayer, type AnyMethod, type Below } from './wrapper-layer.js';
import { recordOf } from './connection-records.js';
import { statusFromResponseStart } from './status-line.js';

/** Upgrade requests whose response has not started yet; while 0, socket writes skip the lookup. */
let pendingResponses = 0;

/** `H`, the first byte of a status line: anything else written (frames, requests) skips the record lookup. */
const CHAR_H = 72;

function mayBeStatusLine(chunk: unknown): boolean {
  if (typeof chunk === 'string') return chunk.charCodeAt(0) === CHAR_H;
  return chunk instanceof Uint8Array && chunk[0] === CHAR_H;
}

/** Reads the status line of whatever answers the upgrade: ws's abortHandshake, its 101, or an app writing `HTTP/1.1 401`. */
function noteResponseStart(socket: net.Socket, chunk: unknown): void {
  if (!mayBeStatusLine(chunk)) return;
  const record = recordOf(socket);
  if (!record || !record.awaitingResponse) return;
  const status = statusFromResponseStart(chunk);
  if (status === 0) return;
  record.responseStatus = status;
  stopAwaitingResponse(record);
}

function wrapWrite(below: Below): AnyMethod {
  return function write(this: unknown, chunk: unknown) {
    if (pendingResponses !== 0) {
      try {
        noteResponseStart(this as net.Socket, chunk);
      } catch {
        // Recording must never break a write.
      }
    }
    return below.fn.apply(this, arguments as unknown as unknown[]);
  };
}

function wrapEnd(below: Below): AnyMethod {
  return function end(this: unknown, chunk: unknown) {
    if (pendingResponses !== 0 && typeof chunk !== 'function') {
      try {
        noteResponseStart(this as net.Socket, chunk);
      } catch {
        // Recording must never break an end.
      }
    }
    return below.fn.apply(this, arguments as unknown as unknown[]);
  };
}

interface NetModule {
  Socket?: { prototype?: object };
}

/**
 * Socket writes are watched at `net.Socket.prototype`, so upgrade sockets keep the hidden class of
 * every other socket (docs/design.md, "Coexisting with OpenTelemetry's instrumentations").
 */
export function patchSocketWrites(exports: NetModule): void {
  const proto = exports.Socket?.prototype;
  if (!proto) return;
  addLayer(proto, 'write', wrapWrite);
  addLayer(proto, 'end', wrapEnd);
}

export function unpatchSocketWrites(exports: NetModule): void {
  const proto = exports.Socket?.prototype;
  if (!proto) return;
  removeLayer(proto, 'end');
  removeLayer(proto, 'write');
}

export function awaitResponse(record: ConnectionRecord): void {
  if (record.awaitingResponse) return;
  record.awaitingResponse = true;
  pendingResponses++;
}

export function stopAwaitingResponse(record: ConnectionRecord): void {
  if (!record.awaitingResponse) return;
  record.awaitingResponse = false;
  pendingResponses--;
}

/** After `disable()` no record is awaited any more. */
export function resetAwaitedResponses(): void {
  pendingResponses = 0;
}
