import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { activeAgent } from './agent-state.js';
import { addLayer, removeLayer, type AnyMethod, type Below } from './wrapper-layer.js';
import { beginServerConnection, isWebSocketUpgrade } from './server-connection.js';

function noteUpgrade(req: IncomingMessage, socket: Duplex): void {
  const agent = activeAgent();
  if (!agent || agent.getConfig().captureHttpUpgrades === false || !isWebSocketUpgrade(req)) return;
  beginServerConnection(agent, req, socket);
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
