import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ATTR_ERROR_TYPE, EVENT_ERROR } from '@closewatch/conventions';
import { ATTR_EXCEPTION_MESSAGE } from '@opentelemetry/semantic-conventions';
import { activeAgent, liveServers } from './agent-state.js';
import { patchMethod } from './method-patch.js';
import { beginServerConnection } from './server-connection.js';
import { recordOf } from './connection-records.js';
import { noteUpgradeServer, patchServerClose } from './server-close-patch.js';
import type { WsServerInternals } from './ws-internals.js';

type Method = (this: WsServerInternals, ...args: unknown[]) => unknown;

/** What ws's `wsClientError` stands for when the app answers it without a status line. */
const WS_CLIENT_ERROR = 'ws_client_error';

function serverOnCloseRecord(this: WsServerInternals): void {
  liveServers.delete(this);
}

/** Servers already given the close listener, so toggling the agent never stacks listeners. */
const listenedServers = new WeakSet<WsServerInternals>();

function trackServer(server: WsServerInternals): void {
  if (liveServers.has(server)) return;
  liveServers.add(server);
  if (listenedServers.has(server)) return;
  listenedServers.add(server);
  server.once('close', serverOnCloseRecord);
}

/** Every upgrade ws handles: the span starts here unless the http `upgrade` event started it. */
function wrapHandleUpgrade(original: Method): Method {
  return function handleUpgrade(this: WsServerInternals, req: unknown, socket: unknown) {
    const agent = activeAgent();
    if (agent) {
      try {
        noteUpgradeServer(beginServerConnection(agent, req as IncomingMessage, socket as Duplex), this);
        trackServer(this);
      } catch {
        // A failed span must never break the upgrade.
      }
    }
    return original.apply(this, arguments as unknown as unknown[]);
  };
}

function noteClientError(error: unknown, socket: unknown): void {
  const record = socket && typeof socket === 'object' ? recordOf(socket) : undefined;
  if (!record || record.ended) return;
  record.noteError(WS_CLIENT_ERROR);
  const message = error instanceof Error ? error.message : String(error);
  record.span.addEvent(EVENT_ERROR, { [ATTR_ERROR_TYPE]: WS_CLIENT_ERROR, [ATTR_EXCEPTION_MESSAGE]: message });
}

/** `wsClientError` is how ws hands a bad handshake to the app instead of answering 400 itself. */
function wrapServerEmit(original: Method): Method {
  return function emit(this: WsServerInternals, event: unknown, error: unknown, socket: unknown) {
    if (event === 'wsClientError') {
      try {
        noteClientError(error, socket);
      } catch {
        // Recording must never change what the app's listeners get.
      }
    }
    return original.apply(this, arguments as unknown as unknown[]);
  };
}

/** Patches ws's `WebSocketServer.prototype`; shared by `require('ws')` and `import … from 'ws'`. */
export function patchWebSocketServerPrototype(proto: object): void {
  patchMethod(proto, 'handleUpgrade', wrapHandleUpgrade);
  patchMethod(proto, 'emit', wrapServerEmit);
  patchServerClose(proto);
}
