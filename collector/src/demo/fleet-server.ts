import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

const MAX_PAYLOAD_BYTES = 16 * 1024;
const SUPPORTED_PROTOCOLS = new Set(['chat.v1', 'chat.v2']);

function serverBehaviour(socket: WebSocket, req: IncomingMessage): void {
  const url = new URL(req.url ?? '/', 'http://demo');
  socket.on('message', (data) => socket.send(data));
  socket.on('error', () => {});
  const lifetime = 300 + Math.random() * 900;
  if (url.searchParams.has('expire')) setTimeout(() => socket.close(4001, 'session expired'), lifetime).unref();
  if (url.searchParams.has('terminate')) setTimeout(() => socket.terminate(), lifetime).unref();
  if (url.searchParams.has('restart')) setTimeout(() => socket.close(1012, 'server restart'), lifetime).unref();
}

function verifyClient(info: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void): void {
  const path = (info.req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/private') done(false, 401, 'Unauthorized');
  else if (!path.startsWith('/rooms/') && path !== '/feed') done(false, 404, 'Not Found');
  else done(true);
}

function handleProtocols(protocols: Set<string>): string | false {
  if (protocols.size === 0) return false;
  for (const protocol of protocols) if (SUPPORTED_PROTOCOLS.has(protocol)) return protocol;
  return false;
}

/** The demo's chat server: a ws server whose reactions depend on the path and query the client picked. */
export async function startFleetServer(): Promise<{ port: number; server: Server; wss: WebSocketServer }> {
  const server = createServer((_req, res) => res.writeHead(426).end('WebSocket only'));
  const wss = new WebSocketServer({ server, maxPayload: MAX_PAYLOAD_BYTES, verifyClient, handleProtocols });
  wss.on('connection', serverBehaviour);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server, wss };
}
