// A scripted collector on the page's own origin: records each export with its full URL and answers as told.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedRequest, RouteHandler } from '@closewatch/test/harness';
import { waitFor } from '@closewatch/test/harness';
import { exportedSpans, type ExportedSpan } from './agent-page.js';

export interface CollectorAnswer {
  status: number;
  headers?: Record<string, string>;
}

export interface RecordingCollector {
  /** Mount on the page server: `/v1/traces` and `/v1/beacon`. */
  routes: Record<string, RouteHandler>;
  /** Every export, with `url` (path and query as sent). */
  requests: Array<RecordedRequest & { url: string }>;
  /** Spans of the requests the collector accepted (2xx). */
  spans(): ExportedSpan[];
  /** Waits for an accepted span that satisfies `match`. */
  waitForSpan(match: (span: ExportedSpan) => boolean, timeoutMs?: number): Promise<ExportedSpan>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

/** `answer(n)` decides the reply to the n-th export (0-based); default 200. */
export function recordingCollector(answer: (index: number) => CollectorAnswer = () => ({ status: 200 })): RecordingCollector {
  const requests: Array<RecordedRequest & { url: string; status: number }> = [];

  async function recordExport(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const { status, headers } = answer(requests.length);
    const url = request.url ?? '/';
    requests.push({ method: request.method ?? '', path: url.split('?')[0], url, headers: request.headers, body, rawBody: body, status });
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end('{}');
  }

  function spans(): ExportedSpan[] {
    return exportedSpans(requests.filter((request) => request.status < 300));
  }

  return {
    routes: { '/v1/traces': recordExport, '/v1/beacon': recordExport },
    requests,
    spans,
    waitForSpan(match, timeoutMs = 10_000) {
      return waitFor(() => spans().find(match), { timeoutMs, message: 'an exported span matching the scenario' });
    },
  };
}
