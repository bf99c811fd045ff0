import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { joinChatRoom } from './chat-room.js';
import { streamFeed } from './feed.js';
import { CHAT_PROTOCOL, DEMO_ADMIN_TOKEN, FLEET_MAX_PAYLOAD_BYTES, fleetRoute } from './fleet-routes.js';
import { startServerHeartbeat } from './server-heartbeat.js';

export interface FleetServer {
  /** ws://127.0.0.1:PORT */
  url: string;
  /** Terminates whoever is still connected and closes the server. */
  close(): Promise<void>;
}

export interface FleetServerOptions {
  /** Ping interval of the heartbeat; a client that misses one pong is terminated at the next. Default 1000 ms. */
  heartbeatIntervalMs?: number;
}

function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://fleet.invalid');
}

type VerifyDone = (result: boolean, code?: number, message?: string) => void;

/** Unknown paths get 404 and /admin without its token 401, before the upgrade completes. */
function verifyFleetClient(info: { req: IncomingMessage }, done: VerifyDone): void {
  const url = requestUrl(info.req);
  const route = fleetRoute(url.pathname);
  if (route === null) done(false, 404, 'Not Found');
  else if (route === 'admin' && url.searchParams.get('token') !== DEMO_ADMIN_TOKEN) done(false, 401, 'Unauthorized');
  else done(true);
}

/** /chat/:room speaks chat.v2 only; false completes the upgrade without a subprotocol, which the client then fails. */
function chooseProtocol(protocols: Set<string>, req: IncomingMessage): string | false {
  if (fleetRoute(requestUrl(req).pathname) === 'chat') return protocols.has(CHAT_PROTOCOL) ? CHAT_PROTOCOL : false;
  return protocols.values().next().value ?? false;
}

function fleetOnConnection(socket: WebSocket, req: IncomingMessage): void {
  const url = requestUrl(req);
  socket.on('error', function ignoreFleetSocketError() {});
  switch (fleetRoute(url.pathname)) {
    case 'chat':
      joinChatRoom(url.pathname.slice('/chat/'.length), socket);
      break;
    case 'feed':
      streamFeed(socket, Number(url.searchParams.get('ticks') ?? Infinity));
      break;
    default:
      socket.on('message', function adminEcho(data, isBinary) {
        socket.send(data, { binary: isBinary });
      });
  }
}

function refusePlainHttp(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' }).end('WebSocket only\n');
}

/** The demo's app: a `ws` server on a loopback port with /chat/:room, /feed and /admin and the README heartbeat. */
export async function startFleetServer(options: FleetServerOptions = {}): Promise<FleetServer> {
  const http = createServer(refusePlainHttp);
  const wss = new WebSocketServer({
    server: http,
    verifyClient: verifyFleetClient,
    handleProtocols: chooseProtocol,
    maxPayload: FLEET_MAX_PAYLOAD_BYTES,
  });
  wss.on('connection', fleetOnConnection);
  const stopHeartbeat = startServerHeartbeat(wss, options.heartbeatIntervalMs ?? 1000);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      stopHeartbeat();
      for (const socket of wss.clients) socket.terminate();
      wss.close();
      http.closeAllConnections();
      http.close(() => resolve());
    });
    return closing;
  }
  return { url: `ws://127.0.0.1:${port}`, close };
}
