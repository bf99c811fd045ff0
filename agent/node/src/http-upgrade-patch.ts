import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { activeAgent } from './agent-state.js';
import { patchMethod } from './method-patch.js';
import { beginServerConnection, isWebSocketUpgrade } from './server-connection.js';

type Method = (this: unknown, ...args: unknown[]) => unknown;

function noteUpgrade(req: IncomingMessage, socket: Duplex): void {
  const agent = activeAgent();
  if (!agent || agent.getConfig().captureHttpUpgrades === false || !isWebSocketUpgrade(req)) return;
  beginServerConnection(agent, req, socket);
}

/** Sees `upgrade` before any listener (ws's or the app's own noServer handler) and strips `__cw` first. */
function wrapEmit(original: Method): Method {
  return function emit(this: unknown, event: unknown, req: unknown, socket: unknown) {
    if (event === 'upgrade') {
      try {
        noteUpgrade(req as IncomingMessage, socket as Duplex);
      } catch {
        // Recording must never change what the app's upgrade listeners get.
      }
    }
    return original.apply(this, arguments as unknown as unknown[]);
  };
}

export function patchHttpUpgrades(): void {
  patchMethod(http.Server.prototype, 'emit', wrapEmit);
  patchMethod(https.Server.prototype, 'emit', wrapEmit);
}
