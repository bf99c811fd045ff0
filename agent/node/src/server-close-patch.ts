import { performance } from 'node:perf_hooks';
import type { ConnectionRecord } from './connection-record.js';
import { patchMethod } from './method-patch.js';

type Method = (this: object, ...args: unknown[]) => unknown;

/** When each ws server was last closed (performance.now()); engine.io closes its clients just before it closes the server. */
const closedAt = new WeakMap<object, number>();

/** When `server` was closed, 0 when it was not (or accepted an upgrade since: engine.io reuses its ws server). */
export function serverClosedAt(server: object | undefined): number {
  return server === undefined ? 0 : (closedAt.get(server) ?? 0);
}

/** Ties an engine.io connection to the ws server that accepted it; plain ws connections need no such link. */
export function noteUpgradeServer(record: ConnectionRecord, server: object): void {
  if (record.app === undefined) return;
  record.app.server = server;
  closedAt.delete(server);
}

function wrapServerClose(original: Method): Method {
  return function close(this: object) {
    try {
      closedAt.set(this, performance.now());
    } catch {
      // Recording must never break a close.
    }
    return original.apply(this, arguments as unknown as unknown[]);
  };
}

/** Patches `WebSocketServer.prototype.close`, which engine.io's (and socket.io's) `close()` call last. */
export function patchServerClose(proto: object): void {
  patchMethod(proto, 'close', wrapServerClose);
}
