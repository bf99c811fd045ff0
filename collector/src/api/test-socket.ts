import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { CLOSE_ABNORMAL, CLOSE_NORMAL, parseTraceparent, stripCorrelationParam, type Initiator } from '@closewatch/conventions';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { testSocketExport, type TestSocketObservation } from './test-socket-span.js';

/** Where the Setup page's "send a test connection" opens its WebSocket. */
export const TEST_SOCKET_PATH = '/api/v1/test-socket';
/** service.name of the test socket's own server side. */
export const TEST_SOCKET_SERVICE = 'closewatch-collector';
/** Small: the page sends one short greeting. */
const MAX_PAYLOAD_BYTES = 4 * 1024;
/** A test socket left open (tab closed mid-test) is cut after this long. */
const MAX_OPEN_MS = 60_000;
const INGEST_KEY_HEADER = 'x-closewatch-key';
const attached = new WeakSet<Server>();

export interface TestSocketOptions {
  /** Sent with the server side's span when the collector requires ingest keys. */
  ingestKey?: string | null;
}

/** Where this server's own OTLP ingest answers (a wildcard bind is reached on loopback). */
function ownIngestUrl(server: Server): string | null {
  const address = server.address() as AddressInfo | null;
  if (!address || typeof address !== 'object') return null;
  const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/v1/traces`;
}

/** Reports the test socket's server side through the collector's own ingest, like a Node agent would. */
function reportServerSide(server: Server, observation: TestSocketObservation, options: TestSocketOptions): void {
  const url = ownIngestUrl(server);
  if (url === null) return;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.ingestKey) headers[INGEST_KEY_HEADER] = options.ingestKey;
  // Best effort: without it the record is still complete from the client's side.
  fetch(url, { method: 'POST', headers, body: JSON.stringify(testSocketExport(observation)) }).then(
    (response) => response.body?.cancel(),
    () => undefined,
  );
}

function observeTestSocket(server: Server, socket: WebSocket, req: IncomingMessage, upgradeAtMs: number, options: TestSocketOptions): void {
  const { url, traceparent } = stripCorrelationParam(req.url ?? TEST_SOCKET_PATH);
  const parent = parseTraceparent(traceparent);
  const local = req.socket.address() as AddressInfo;
  const openAtMs = Date.now();
  let messages = 0;
  let bytes = 0;
  let initiator: Initiator = 'client';
  const limit = setTimeout(function testSocketTimeLimit() {
    initiator = 'server';
    socket.close(CLOSE_NORMAL, 'test socket time limit');
  }, MAX_OPEN_MS);
  limit.unref();
  socket.on('message', function testSocketEcho(data: RawData, isBinary: boolean) {
    messages++;
    bytes += Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
    socket.send(data, { binary: isBinary });
  });
  socket.on('error', () => socket.terminate());
  socket.on('close', function testSocketOnClose(code: number, reason: Buffer) {
    clearTimeout(limit);
    if (parent === null) return;
    reportServerSide(
      server,
      {
        traceId: parent.traceId,
        parentSpanId: parent.spanId,
        service: TEST_SOCKET_SERVICE,
        route: TEST_SOCKET_PATH,
        url,
        serverAddress: local.address,
        serverPort: local.port,
        upgradeAtMs,
        openAtMs,
        closeAtMs: Date.now(),
        code,
        reason: reason.toString('utf8'),
        wasClean: code !== CLOSE_ABNORMAL,
        initiator,
        messages,
        bytes,
      },
      options,
    );
  });
}

/**
 * Serves a tiny WebSocket echo at TEST_SOCKET_PATH on the collector's HTTP server, so the Setup page
 * can drive a real connection through the browser agent; the echo reports its own server side to the
 * collector's ingest, so the test record is joined from both sides. Other upgrade requests get a 404
 * unless another upgrade listener is registered. Attaching twice is a no-op. Returns a detach function.
 */
export function attachTestSocket(server: Server, options: TestSocketOptions = {}): () => void {
  if (attached.has(server)) return () => undefined;
  attached.add(server);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  function testSocketOnUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    if (path === TEST_SOCKET_PATH) {
      const upgradeAtMs = Date.now();
      wss.handleUpgrade(req, socket, head, (ws) => observeTestSocket(server, ws, req, upgradeAtMs, options));
      return;
    }
    if (server.listenerCount('upgrade') === 1) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  }
  server.on('upgrade', testSocketOnUpgrade);
  return function detachTestSocket() {
    attached.delete(server);
    server.off('upgrade', testSocketOnUpgrade);
    for (const client of wss.clients) client.terminate();
    wss.close();
  };
}
