import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decodeTraceRequest } from '../../../collector/src/ingest/decode-request.js';
import { runOnce, type CleanupScope } from '../../harness/index.js';

/** One OTLP export attempt as the agent saw it: which spans it carried and what came back. */
export interface ExportAttempt {
  spanIds: string[];
  /** HTTP status, or 0 when the upstream could not be reached at all. */
  status: number;
  retryAfter: string | undefined;
}

export interface RecordingProxy {
  /** http://127.0.0.1:PORT: the agents' endpoint. */
  url: string;
  attempts: ExportAttempt[];
  /** Span ids some attempt got a 2xx for: what the collectors acknowledged. */
  acknowledged(): Set<string>;
  close(): Promise<void>;
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

function hex(id: unknown): string {
  return typeof id === 'string' ? id.toLowerCase() : Buffer.from(id as Uint8Array).toString('hex');
}

/** The span ids of an OTLP/HTTP traces body (JSON or protobuf, gzip or not); none when it does not decode. */
function spanIdsOf(body: Buffer, headers: IncomingMessage['headers']): string[] {
  try {
    const plain = headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
    const encoding = headers['content-type']?.startsWith('application/x-protobuf') ? 'protobuf' : 'json';
    const request = decodeTraceRequest(plain, encoding);
    return request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => hex((span as { spanId?: unknown }).spanId))));
  } catch {
    return [];
  }
}

/**
 * An HTTP proxy between the agents and the load balancer that records every OTLP export attempt (its
 * span ids and the answer), so a test can tell what was acknowledged from what the agents had to retry.
 */
export async function startRecordingProxy(t: CleanupScope, upstreamUrl: string): Promise<RecordingProxy> {
  const upstream = new URL(upstreamUrl);
  const attempts: ExportAttempt[] = [];
  const server = createServer(function proxyOnRequest(req, res) {
    void readBody(req).then((body) => forwardRecorded(req, res, body));
  });
  function forwardRecorded(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const isExport = req.method === 'POST' && /^\/v1\/(traces|beacon)/.test(req.url ?? '');
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      function upstreamOnResponse(answer) {
        void readBody(answer).then((answerBody) => {
          if (isExport) attempts.push({ spanIds: spanIdsOf(body, req.headers), status: answer.statusCode ?? 0, retryAfter: answer.headers['retry-after'] });
          res.writeHead(answer.statusCode ?? 502, answer.headers).end(answerBody);
        });
      },
    );
    forward.once('error', function upstreamUnreachable() {
      if (isExport) attempts.push({ spanIds: spanIdsOf(body, req.headers), status: 0, retryAfter: undefined });
      res.destroy();
    });
    forward.end(body);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = runOnce(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  t.after(close);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attempts,
    acknowledged: () => new Set(attempts.filter((attempt) => attempt.status >= 200 && attempt.status < 300).flatMap((attempt) => attempt.spanIds)),
    close,
  };
}
