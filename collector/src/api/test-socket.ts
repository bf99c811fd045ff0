import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/** Where the Setup page's "send a test connection" opens its WebSocket. */
export const TEST_SOCKET_PATH = '/api/v1/test-socket';
/** Small: the page sends one short greeting. */
const MAX_PAYLOAD_BYTES = 4 * 1024;
/** A test socket left open (tab closed mid-test) is cut after this long. */
const MAX_OPEN_MS = 60_000;
const attached = new WeakSet<Server>();

function testSocketOnConnection(socket: WebSocket): void {
  const limit = setTimeout(() => socket.close(1000, 'test socket time limit'), MAX_OPEN_MS);
  limit.unref();
  socket.on('message', function testSocketEcho(data: RawData, isBinary: boolean) {
    socket.send(data, { binary: isBinary });
  });
  socket.on('close', () => clearTimeout(limit));
  socket.on('error', () => socket.terminate());
}

/**
 * Serves a tiny WebSocket echo at TEST_SOCKET_PATH on the collector's HTTP server, so the Setup page
 * can drive a real connection through the browser agent. Other upgrade requests get a 404 unless
 * another upgrade listener is registered. Attaching twice is a no-op. Returns a function that detaches it.
 */
export function attachTestSocket(server: Server): () => void {
  if (attached.has(server)) return () => undefined;
  attached.add(server);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  wss.on('connection', testSocketOnConnection);
  function testSocketOnUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    if (path === TEST_SOCKET_PATH) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      return;
    }
    if (server.listenerCount('upgrade') === 1) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  }
  server.on('upgrade', testSocketOnUpgrade);
  return function detachTestSocket() {
    attached.delete(server);
    server.off('upgrade', testSocketOnUpgrade);
    for (const client of wss.clients) client.terminate();
    wss.close();
  };
}
