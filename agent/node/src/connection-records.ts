import { patchScope } from './agent-state.js';
import type { ConnectionRecord } from './connection-record.js';

/**
 * Raw socket (server side) or ws `WebSocket` (client side) → its connection record. A WeakMap rather
 * than a property: adding properties to sockets and WebSockets gives them new hidden classes, which
 * slows every stream and ws operation in the process, instrumented or not.
 */
const records = new WeakMap<object, ConnectionRecord>();

/** The fields of a ws `WebSocket` that say where its record is kept. */
interface RecordedWebSocket {
  _isServer?: boolean;
  _socket?: object | null;
}

export function recordOf(socketOrWebSocket: object): ConnectionRecord | undefined {
  return records.get(socketOrWebSocket);
}

/**
 * A server WebSocket's record is its socket's (one map entry per connection, found once ws set
 * `_socket`); a client's is keyed by the WebSocket, which exists before its socket. Without client
 * instrumentation there are no client records, and client events skip the lookup.
 */
export function recordOfWebSocket(ws: RecordedWebSocket): ConnectionRecord | undefined {
  if (ws._isServer === true) return ws._socket ? records.get(ws._socket) : undefined;
  return patchScope.clients ? records.get(ws) : undefined;
}

export function setRecordOf(socketOrWebSocket: object, record: ConnectionRecord): void {
  records.set(socketOrWebSocket, record);
}

export function forgetRecordOf(socketOrWebSocket: object): void {
  records.delete(socketOrWebSocket);
}

/** Drops whichever entry `recordOfWebSocket` would find. */
export function forgetRecordOfWebSocket(ws: RecordedWebSocket): void {
  if (ws._isServer === true) {
    if (ws._socket) records.delete(ws._socket);
    return;
  }
  records.delete(ws);
}
