import type { WebSocket, WebSocketServer } from 'ws';

const alive = new WeakMap<WebSocket, boolean>();

function markAlive(this: WebSocket): void {
  alive.set(this, true);
}

function trackPongs(socket: WebSocket): void {
  alive.set(socket, true);
  socket.on('pong', markAlive);
}

/**
 * The ws README heartbeat: every `intervalMs` terminate the clients that did not answer the previous
 * ping, and ping the others. Returns a function that stops it.
 */
export function startServerHeartbeat(wss: WebSocketServer, intervalMs: number): () => void {
  wss.on('connection', trackPongs);
  const timer = setInterval(function pingOrTerminate() {
    for (const socket of wss.clients) {
      if (alive.get(socket) === false) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, intervalMs);
  return function stopServerHeartbeat() {
    clearInterval(timer);
    wss.off('connection', trackPongs);
  };
}
