import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';
import { optionsWithScope, runOnce, type CleanupScope, type ScopeOr } from './cleanup.js';
import { trackOpenSockets } from './open-sockets.js';

export interface WsServerOptions extends Omit<ServerOptions, 'port' | 'host' | 'server'> {
  /** Called for every accepted connection (also available as `wss.on('connection')`). */
  onConnection?: (socket: WebSocket, request: IncomingMessage) => void;
  /** Runs before listening, e.g. to route 'upgrade' yourself when `noServer` is set. */
  setup?: (wss: WebSocketServer, server: Server) => void;
  /** Closes the server after the test. */
  t?: CleanupScope;
}

export interface WsServerHandle {
  wss: WebSocketServer;
  server: Server;
  port: number;
  /** ws://127.0.0.1:PORT */
  url: string;
  /** Terminates every client, closes both servers; safe to call more than once. */
  close(): Promise<void>;
}

/** A real `ws` WebSocketServer on its own http server on an ephemeral loopback port. */
export async function startWsServer(scopeOrOptions?: ScopeOr<WsServerOptions>): Promise<WsServerHandle> {
  const options = optionsWithScope(scopeOrOptions);
  for (const forbidden of ['port', 'host', 'server'] as const) {
    if (forbidden in options) throw new TypeError(`startWsServer: option "${forbidden}" is not supported, the harness owns the http server`);
  }
  const { onConnection, setup, t, ...serverOptions } = options;
  const server = createServer();
  const sockets = trackOpenSockets(server);
  const wss = serverOptions.noServer ? new WebSocketServer(serverOptions) : new WebSocketServer({ ...serverOptions, server });
  if (onConnection) wss.on('connection', onConnection);
  setup?.(wss, server);
  if (serverOptions.noServer && server.listenerCount('upgrade') === 0) {
    server.on('upgrade', function serverOnUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
      wss.handleUpgrade(request, socket, head, function upgradeDone(ws) {
        wss.emit('connection', ws, request);
      });
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const close = runOnce(async function closeWsServer() {
    for (const client of wss.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    // Sockets mid-handshake (e.g. an async verifyClient) belong to neither server's client list.
    for (const socket of sockets) socket.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  t?.after(close);
  return { wss, server, port, url: `ws://127.0.0.1:${port}`, close };
}
