import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Every socket `server` accepted and that is still open, upgraded ones included, so close() can destroy them. */
export function trackOpenSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', function serverOnConnection(socket: Socket) {
    sockets.add(socket);
    socket.once('close', function trackedSocketOnClose() {
      sockets.delete(socket);
    });
  });
  return sockets;
}
