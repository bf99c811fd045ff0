import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { optionsWithScope, runOnce, type ScopeOr } from './cleanup.js';
import { waitFor } from './wait-for.js';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body, gunzipped when sent with Content-Encoding: gzip. */
  body: Buffer;
  /** The body exactly as sent. */
  rawBody: Buffer;
}

export interface OtlpReceiver {
  /** http://127.0.0.1:PORT — use as the OTLP endpoint (traces go to `${url}/v1/traces`). */
  url: string;
  port: number;
  /** Every POST received, in arrival order. */
  requests: RecordedRequest[];
  /** Resolves with `requests` once at least `count` POSTs arrived. */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': '*',
  'access-control-max-age': '600',
};

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', function requestOnData(chunk: Buffer) {
      chunks.push(chunk);
    });
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

/** A loopback HTTP server that records every POST and answers like an OTLP/HTTP endpoint that accepts everything. */
export async function startOtlpReceiver(options?: ScopeOr<object>): Promise<OtlpReceiver> {
  const { t } = optionsWithScope(options);
  const requests: RecordedRequest[] = [];

  async function recordRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method === 'OPTIONS') {
      response.writeHead(204, corsHeaders).end();
      return;
    }
    const rawBody = await readBody(request);
    if (request.method !== 'POST') {
      response.writeHead(405, corsHeaders).end();
      return;
    }
    const gzipped = request.headers['content-encoding'] === 'gzip';
    const body = gzipped ? gunzipSync(rawBody) : rawBody;
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push({ method: request.method, path, headers: request.headers, body, rawBody });
    // An empty protobuf message is a valid ExportTraceServiceResponse; JSON clients get `{}`.
    if (request.headers['content-type']?.startsWith('application/x-protobuf')) {
      response.writeHead(200, { ...corsHeaders, 'content-type': 'application/x-protobuf', 'content-length': '0' }).end();
    } else {
      response.writeHead(200, { ...corsHeaders, 'content-type': 'application/json' }).end('{}');
    }
  }

  const server = createServer(function receiverOnRequest(request, response) {
    recordRequest(request, response).catch(function receiverOnBadRequest(error: Error) {
      if (!response.headersSent) response.writeHead(400, corsHeaders);
      response.end(error.message);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const close = runOnce(async function closeOtlpReceiver() {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  t?.after(close);

  function waitForRequests(count: number, timeoutMs = 10_000): Promise<RecordedRequest[]> {
    return waitFor(() => requests.length >= count && requests, { timeoutMs, message: `${count} OTLP request(s), got ${requests.length}` });
  }

  return { url: `http://127.0.0.1:${port}`, port, requests, waitForRequests, close };
}
