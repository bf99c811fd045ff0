import type { ConnectionRecord } from './connection-record.js';

/**
 * Raw socket → its connection record. A WeakMap rather than a property on the socket: adding
 * properties to sockets gives them new hidden classes and slows every stream operation in the process.
 */
const records = new WeakMap<object, ConnectionRecord>();

export function recordOfSocket(socket: object): ConnectionRecord | undefined {
  return records.get(socket);
}

export function setRecordOfSocket(socket: object, record: ConnectionRecord): void {
  records.set(socket, record);
}

export function forgetSocket(socket: object): void {
  records.delete(socket);
}
