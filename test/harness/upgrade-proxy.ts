import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';

/** The request line and headers exactly as received, ready to replay to another server. */
function requestHead(request: IncomingMessage): string {
  const lines = [`${request.method} ${request.url} HTTP/${request.httpVersion}`];
  for (let i = 0; i < request.rawHeaders.length; i += 2) lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Pipes an HTTP upgrade request byte for byte to 127.0.0.1:port, so the target answers the handshake itself. */
export function proxyUpgrade(port: number, request: IncomingMessage, socket: Duplex, head: Buffer): void {
  const upstream = connect({ port, host: '127.0.0.1' });
  upstream.once('connect', function upstreamOnConnect() {
    upstream.write(requestHead(request));
    if (head.length > 0) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.once('error', function upstreamOnError() {
    socket.destroy();
  });
  socket.once('error', function downstreamOnError() {
    upstream.destroy();
  });
  upstream.once('close', function upstreamOnClose() {
    socket.destroy();
  });
  socket.once('close', function downstreamOnClose() {
    upstream.destroy();
  });
}
