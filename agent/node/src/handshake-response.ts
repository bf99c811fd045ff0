import type { Duplex } from 'node:stream';
import { kRecord, type ConnectionRecord } from './connection-record.js';
import { statusFromResponseStart } from './status-line.js';

type Watched = Duplex & { [kRecord]?: ConnectionRecord };

function stopWatching(socket: Watched, record: ConnectionRecord): void {
  if (record.originalWrite) socket.write = record.originalWrite as Duplex['write'];
  if (record.originalEnd) socket.end = record.originalEnd as Duplex['end'];
  record.originalWrite = record.originalEnd = undefined;
}

function noteResponseStart(socket: Watched, chunk: unknown): void {
  const record = socket[kRecord];
  if (!record || record.responseStatus !== 0) return;
  const status = statusFromResponseStart(chunk);
  if (status === 0) return;
  record.responseStatus = status;
  stopWatching(socket, record);
}

function watchingWrite(this: Watched, chunk: unknown): boolean {
  const write = this[kRecord]?.originalWrite ?? (Object.getPrototypeOf(this) as Duplex).write;
  try {
    noteResponseStart(this, chunk);
  } catch {
    // Recording must never break the write.
  }
  return write.apply(this, arguments as unknown as Parameters<Duplex['write']>);
}

function watchingEnd(this: Watched, chunk: unknown): unknown {
  const end = this[kRecord]?.originalEnd ?? (Object.getPrototypeOf(this) as Duplex).end;
  try {
    if (typeof chunk !== 'function') noteResponseStart(this, chunk);
  } catch {
    // Recording must never break the end.
  }
  return end.apply(this, arguments as unknown as Parameters<Duplex['end']>);
}

/**
 * Reads the status line of whatever answers the upgrade request (ws's abortHandshake, the 101 of
 * completeUpgrade, or an app writing `HTTP/1.1 401` itself), then puts the socket's methods back.
 */
export function watchHandshakeResponse(socket: Watched, record: ConnectionRecord): void {
  record.originalWrite = socket.write as ConnectionRecord['originalWrite'];
  record.originalEnd = socket.end as ConnectionRecord['originalEnd'];
  socket.write = watchingWrite as Duplex['write'];
  socket.end = watchingEnd as Duplex['end'];
}

/** Puts the socket's own methods back, e.g. when the span ends before any response. */
export function unwatchHandshakeResponse(socket: Watched, record: ConnectionRecord): void {
  stopWatching(socket, record);
}
