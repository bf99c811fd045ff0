import { connect, type Socket } from 'node:net';

export interface RawUpgradeAnswer {
  /** The first line the server answered, e.g. `HTTP/1.1 401 Unauthorized`. */
  statusLine: string;
  status: number;
}

/** Sends a hand-written upgrade request (to send what a ws client never would) and reads the status line. */
export function rawUpgrade(port: number, request: string): Promise<RawUpgradeAnswer> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(request));
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\r\n');
      if (end < 0) return;
      const statusLine = received.slice(0, end);
      socket.destroy();
      resolve({ statusLine, status: Number(statusLine.split(' ')[1]) });
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed before a status line: ${JSON.stringify(received)}`)));
  });
}

/** A well-formed upgrade request with `overrides` replacing or adding headers (a null value drops it). */
export function upgradeRequest(path: string, overrides: Record<string, string | null> = {}, method = 'GET'): string {
  const headers: Record<string, string | null> = {
    Host: '127.0.0.1',
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    ...overrides,
  };
  const lines = Object.entries(headers)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([name, value]) => `${name}: ${value}`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}
