import { connect } from 'node:net';
import { StopWaiting, waitFor } from './wait-for.js';

function tryConnect(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', function probeOnConnect() {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', function probeOnError() {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Resolves once a TCP connection to host:port succeeds; `isAlive` lets a caller stop early when its process died. */
export async function waitForPort(
  port: number,
  { host = '127.0.0.1', timeoutMs = 30_000, isAlive = () => true }: { host?: string; timeoutMs?: number; isAlive?: () => boolean } = {},
): Promise<void> {
  await waitFor(
    async () => {
      if (!isAlive()) throw new StopWaiting(`process exited before ${host}:${port} accepted connections`);
      return tryConnect(port, host);
    },
    { timeoutMs, message: `${host}:${port} accepting connections` },
  );
}
