import type { RequestListener, Server } from 'node:http';
import { createServer } from 'node:http';
import { StartupError } from './startup-error.js';

function explainListenError(error: NodeJS.ErrnoException, host: string, port: number): StartupError {
  switch (error.code) {
    case 'EADDRINUSE':
      return new StartupError(`port ${port} on ${host} is already in use; stop the other process or choose another port with --port`);
    case 'EACCES':
      return new StartupError(`not allowed to listen on port ${port} on ${host}; ports below 1024 need privileges, choose another with --port`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new StartupError(`cannot listen on host ${host}: it is not an address of this machine; choose another with --host`);
    default:
      return new StartupError(`cannot listen on ${host}:${port}: ${error.message}`);
  }
}

/** An HTTP server listening on host:port; a failure is a StartupError the user can act on. */
export function listen(handler: RequestListener, host: string, port: number): Promise<Server> {
  const server = createServer(handler);
  // Longer than the idle timeout of typical load balancers, so they never reuse a socket we just closed.
  server.keepAliveTimeout = 65_000;
  return new Promise(function startListening(resolve, reject) {
    function onError(error: NodeJS.ErrnoException) {
      reject(explainListenError(error, host, port));
    }
    server.once('error', onError);
    server.listen(port, host, function onListening() {
      server.off('error', onError);
      resolve(server);
    });
  });
}
