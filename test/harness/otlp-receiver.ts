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

/** A non-default answer, e.g. `{ status: 429, headers: { 'retry-after': '2' } }` to test an exporter's backoff. */
export interface ReceiverAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** Decides the answer to each recorded POST; `undefined` means the default 200. */
export type Responder = (request: RecordedRequest, index: number) => ReceiverAnswer | undefined;

export interface OtlpReceiverOptions {
  respond?: Responder;
}

export interface OtlpReceiver {
  /** http://127.0.0.1:PORT — use as the OTLP endpoint (traces go to `${url}/v1/traces`). */
  url: string;
  port: number;
  /** Every POST received, in arrival order. */
  requests: RecordedRequest[];
  /** Resolves with `requests` once at least `count` POSTs arrived. */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Replaces the responder (undefined restores the default 200 for everything). */
  respondWith(respond: Responder | undefined): void;
  close(): Promise<void>;
}

const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': '*',
  'access-control-max-age': '600',
  // A browser exporter may only read Retry-After from a cross-origin answer if it is exposed.
  'access-control-expose-headers': 'retry-after',
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

function answerAccepted(request: RecordedRequest, response: ServerResponse): void {
  // An empty protobuf message is a valid ExportTraceServiceResponse; JSON clients get `{}`.
  if (request.headers['content-type']?.startsWith('application/x-protobuf')) {
    response.writeHead(200, { ...corsHeaders, 'content-type': 'application/x-protobuf', 'content-length': '0' }).end();
  } else {
    response.writeHead(200, { ...corsHeaders, 'content-type': 'application/json' }).end('{}');
  }
}

/**
 * A loopback HTTP server that records every POST (whatever it answers) and by default answers like an
 * OTLP/HTTP endpoint that accepts everything; `respond` can answer otherwise, e.g. 429 or 503.
 */
export async function startOtlpReceiver(scopeOrOptions?: ScopeOr<OtlpReceiverOptions>): Promise<OtlpReceiver> {
  const { t, respond: initialResponder } = optionsWithScope(scopeOrOptions);
  const requests: RecordedRequest[] = [];
  let respond = initialResponder;

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
    const recorded: RecordedRequest = { method: request.method, path, headers: request.headers, body, rawBody };
    requests.push(recorded);
    const answer = respond?.(recorded, requests.length - 1);
    if (answer) response.writeHead(answer.status, { ...corsHeaders, ...answer.headers }).end(answer.body);
    else answerAccepted(recorded, response);
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

  function waitForRequests(count: number, timeoutMs = 30_000): Promise<RecordedRequest[]> {
    return waitFor(() => requests.length >= count && requests, { timeoutMs, message: `${count} OTLP request(s)` });
  }

  function respondWith(next: Responder | undefined): void {
    respond = next;
  }

  return { url: `http://127.0.0.1:${port}`, port, requests, waitForRequests, respondWith, close };
}
