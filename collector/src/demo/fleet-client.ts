import WebSocket from 'ws';

/** A client that is still connected after this long is terminated, so a run always ends. */
export const MAX_CLIENT_MS = 15_000;

export interface FleetClientOptions {
  protocols?: string[];
  /** false: the client stops answering pings (a frozen or dead peer). Default true. */
  autoPong?: boolean;
}

export interface FleetClient {
  socket: WebSocket;
  /** Resolves once the socket closed, however it ended; never rejects. */
  closed: Promise<void>;
}

/** Opens one `ws` client (recorded by the agent like any other) whose end is always observed. */
export function openFleetClient(url: string, options: FleetClientOptions = {}): FleetClient {
  const socket = new WebSocket(url, options.protocols ?? [], { autoPong: options.autoPong ?? true });
  // A rejected upgrade or a reset is an outcome here, not a crash.
  socket.on('error', function expectedClientError() {});
  const closed = new Promise<void>((resolve) => {
    const limit = setTimeout(() => socket.terminate(), MAX_CLIENT_MS);
    socket.once('close', function clientOnClose() {
      clearTimeout(limit);
      resolve();
    });
  });
  return { socket, closed };
}

/** Runs `step` once the socket is open (never, when the handshake fails). */
export function whenOpen(client: FleetClient, step: (socket: WebSocket) => void): FleetClient {
  client.socket.once('open', function runWhenOpen() {
    step(client.socket);
  });
  return client;
}

/** Sends `messages` spaced by `gapMs`, then runs `last` (unless the socket closed meanwhile). */
export function sendThen(socket: WebSocket, messages: string[], gapMs: number, last: () => void): void {
  let index = 0;
  const timer = setInterval(function sendNext() {
    if (socket.readyState !== WebSocket.OPEN) {
      clearInterval(timer);
      return;
    }
    if (index < messages.length) {
      socket.send(messages[index++]);
      return;
    }
    clearInterval(timer);
    last();
  }, gapMs);
}
