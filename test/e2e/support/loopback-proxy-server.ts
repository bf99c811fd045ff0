import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { CleanupScope } from '../../harness/index.js';

/** A listening loopback TCP proxy: its port, and a close that destroys every socket it forwards. */
export interface LoopbackProxyServer {
  port: number;
  close(this: void): Promise<void>;
}

/**
 * Listens on a free loopback port with `forwardConnection` for each client; the test proxies
 * (silencing, black hole) differ only in how they forward. `sockets` are destroyed on close, after `t`.
 */
export async function listenLoopbackProxy(forwardConnection: (client: Socket) => void, sockets: Set<Socket>, t: CleanupScope): Promise<LoopbackProxyServer> {
  const server = createServer(forwardConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  let closing: Promise<void> | null = null;
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
    return closing;
  }
  t.after(close);
  return { port: (server.address() as AddressInfo).port, close };
}
