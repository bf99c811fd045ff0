import { connect, type Socket } from 'node:net';
import type { CleanupScope } from '../../harness/index.js';
import { listenLoopbackProxy } from './loopback-proxy-server.js';

export interface SilencingProxy {
  port: number;
  /** Connections forwarded so far. */
  connections(): number;
  /**
   * From now on bytes from clients are swallowed while the server's still reach them: a client that
   * stopped answering (pongs included) on a path that still looks up, as behind a dead NAT mapping.
   */
  silenceClients(): void;
  close(): Promise<void>;
}

/**
 * A byte-for-byte loopback TCP proxy to `targetPort` whose client→server direction can be silenced.
 * Plain `net`, so an in-process agent does not see it as an HTTP upgrade. Closed after `t`.
 */
export async function startSilencingProxy(targetPort: number, t: CleanupScope): Promise<SilencingProxy> {
  const sockets = new Set<Socket>();
  let silenced = false;
  let forwarded = 0;

  function forwardConnection(client: Socket): void {
    forwarded++;
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', function forgetAndCloseBoth() {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
      socket.on('error', function ignoreProxySocketError() {});
    }
    client.on('data', function forwardUnlessSilenced(chunk: Buffer) {
      if (!silenced) upstream.write(chunk);
    });
    upstream.pipe(client);
  }

  const proxy = await listenLoopbackProxy(forwardConnection, sockets, t);
  return {
    port: proxy.port,
    connections: () => forwarded,
    silenceClients() {
      silenced = true;
    },
    close: proxy.close,
  };
}
