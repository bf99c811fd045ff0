import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { activeAgent } from './agent-state.js';
import { endHandshakeFailure } from './connection-end.js';
import { forgetRecordOf, recordOf } from './connection-records.js';
import { stopAwaitingResponse } from './handshake-response.js';
import { addLayer, removeLayer, type AnyMethod, type Below } from './wrapper-layer.js';
import { beginServerConnection, isWebSocketUpgrade } from './server-connection.js';
import { unlistenToSocket } from './socket-listeners.js';

function noteUpgrade(req: IncomingMessage, socket: Duplex): void {
  const agent = activeAgent();
  if (!agent || agent.getConfig().captureHttpUpgrades === false || !isWebSocketUpgrade(req)) return;
  beginServerConnection(agent, req, socket);
}

/**
 * A WebSocket upgrade request on a server without an `upgrade` listener: Node hands it to the request
 * handler, whose answer (a page, a 200 JSON) is not an upgrade. Recorded as a failed handshake with
 * that status once the response is done (docs/design.md, the cause matrix's plain-HTTP row).
 */
function notePlainAnswer(req: IncomingMessage, res: ServerResponse): void {
  const agent = activeAgent();
  if (!agent || agent.getConfig().captureHttpUpgrades === false || !isWebSocketUpgrade(req)) return;
  const socket = req.socket;
  if (recordOf(socket)) return;
  const record = beginServerConnection(agent, req, socket);
  res.once('close', function endPlainAnswer() {
    try {
      // A keep-alive socket serves other requests: it no longer belongs to this record.
      forgetRecordOf(socket);
      unlistenToSocket(socket);
      stopAwaitingResponse(record);
      if (record.responseStatus === 0 && res.headersSent) record.responseStatus = res.statusCode;
      endHandshakeFailure(record);
    } catch {
      // Recording must never change how the response ends.
    }
  });
}

/** Sees `upgrade` before any listener (ws's or the app's own noServer handler) and strips `__cw` first. */
function wrapEmit(below: Below): AnyMethod {
  return function emit(this: unknown, event: unknown, req: unknown, socket: unknown) {
    if (event === 'upgrade') {
      try {
        noteUpgrade(req as IncomingMessage, socket as Duplex);
      } catch {
        // Recording must never change what the app's upgrade listeners get.
      }
    } else if (event === 'request') {
      try {
        notePlainAnswer(req as IncomingMessage, socket as ServerResponse);
      } catch {
        // Recording must never change what the app's request listeners get.
      }
    }
    return below.fn.apply(this, arguments as unknown as unknown[]);
  };
}

/** The `http` or `https` module's exports: their `Server.prototype.emit`. */
interface HttpModule {
  Server?: { prototype?: object };
}

/** Wraps `Server.prototype.emit` of `http` or `https` (docs/design.md, "Coexisting with OpenTelemetry's instrumentations"). */
export function patchHttpServerEmit(exports: HttpModule): void {
  const proto = exports.Server?.prototype;
  if (proto) addLayer(proto, 'emit', wrapEmit);
}

export function unpatchHttpServerEmit(exports: HttpModule): void {
  const proto = exports.Server?.prototype;
  if (proto) removeLayer(proto, 'emit');
}
