import type { ConnectionRecord } from './connection-record.js';

/**
 * Raw socket or ws `WebSocket` → its connection record. A WeakMap rather than a property: adding
 * properties to sockets and WebSockets gives them new hidden classes, which slows every stream and
 * ws operation in the process, instrumented or not.
 */
const records = new WeakMap<object, ConnectionRecord>();

export function recordOf(socketOrWebSocket: object): ConnectionRecord | undefined {
  return records.get(socketOrWebSocket);
}

export function setRecordOf(socketOrWebSocket: object, record: ConnectionRecord): void {
  records.set(socketOrWebSocket, record);
}

export function forgetRecordOf(socketOrWebSocket: object): void {
  records.delete(socketOrWebSocket);
}
