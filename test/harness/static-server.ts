import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { optionsWithScope, runOnce, type CleanupScope, type ScopeOr } from './cleanup.js';
import { trackOpenSockets } from './open-sockets.js';
import { proxyUpgrade } from './upgrade-proxy.js';

export interface StaticRoute {
  body: string | Buffer;
  /** Content-Type; default text/html; charset=utf-8. */
  type?: string;
  headers?: Record<string, string>;
  status?: number;
}

/** A dynamic route: answer however you like. */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export interface ServeStaticOptions {
  /** Forward WebSocket upgrades to this loopback port (or ws:// URL) so the page and its ws share an origin. */
  upgradeTo?: number | string;
  /** Closes the server after the test. */
  t?: CleanupScope;
}

export interface StaticServer {
  /** http://127.0.0.1:PORT (no trailing slash) */
  url: string;
  port: number;
  close(): Promise<void>;
}

function portOf(target: number | string): number {
  return typeof target === 'number' ? target : Number(new URL(target).port);
}

/** Serves fixed pages (and optional handler routes) on an ephemeral loopback port; unknown paths get 404. */
export async function serveStatic(routes: Record<string, StaticRoute | RouteHandler>, options?: ScopeOr<ServeStaticOptions>): Promise<StaticServer> {
  const { upgradeTo, t } = optionsWithScope(options);

  async function serveRoute(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const route = routes[path];
    if (route === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (typeof route === 'function') {
      try {
        await route(request, response);
      } catch (error) {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(error));
      }
      return;
    }
    response.writeHead(route.status ?? 200, { 'content-type': route.type ?? 'text/html; charset=utf-8', ...route.headers });
    response.end(request.method === 'HEAD' ? undefined : route.body);
  }

  const server = createServer(function serverOnRequest(request, response) {
    void serveRoute(request, response);
  });
  const sockets = trackOpenSockets(server);
  server.on('upgrade', function serverOnUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
    if (upgradeTo === undefined) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else proxyUpgrade(portOf(upgradeTo), request, socket, head);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const close = runOnce(async function closeStaticServer() {
    for (const socket of sockets) socket.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  t?.after(close);
  return { url: `http://127.0.0.1:${port}`, port, close };
}
