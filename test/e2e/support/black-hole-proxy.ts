import { connect, type Socket } from 'node:net';
import type { CleanupScope } from '../../harness/index.js';
import { listenLoopbackProxy } from './loopback-proxy-server.js';

export interface BlackHoleProxy {
  port: number;
  /**
   * From now on the clients are gone for the server: their bytes are swallowed and their closing or
   * resetting the TCP connection never reaches it, while the server's bytes go nowhere. What a server
   * sees of a phone whose tab was killed behind a NAT that forgot the mapping: silence, until its own
   * heartbeat gives up.
   */
  cutClients(): void;
  close(): Promise<void>;
}

/**
 * A byte-for-byte loopback TCP proxy to `targetPort` whose clients can vanish without the server
 * learning it. Plain `net`, so an in-process agent does not see it as an HTTP upgrade. Closed after `t`.
 */
export async function startBlackHoleProxy(targetPort: number, t: CleanupScope): Promise<BlackHoleProxy> {
  const sockets = new Set<Socket>();
  let cut = false;

  function forwardConnection(client: Socket): void {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', function ignoreProxySocketError() {});
      socket.on('close', function forgetSocket() {
        sockets.delete(socket);
      });
    }
    client.on('data', function forwardUnlessCut(chunk: Buffer) {
      if (!cut) upstream.write(chunk);
    });
    upstream.on('data', function forwardUnlessCut(chunk: Buffer) {
      if (!cut && !client.destroyed) client.write(chunk);
    });
    client.on('close', function closeUpstreamUnlessCut() {
      if (!cut) upstream.destroy();
    });
    upstream.on('close', function closeClient() {
      client.destroy();
    });
  }

  const proxy = await listenLoopbackProxy(forwardConnection, sockets, t);
  return {
    port: proxy.port,
    cutClients() {
      cut = true;
    },
    close: proxy.close,
  };
}
