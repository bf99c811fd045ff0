import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CleanupScope } from '@closewatch/test/harness';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface WebhookReceiver {
  /** http://host:port/hook */
  url: string;
  /** Base http://host:port */
  origin: string;
  received: ReceivedRequest[];
}

/**
 * A real HTTP webhook receiver on `host` (loopback by default) that records every request and answers
 * with `answer` (200 by default); closed after the test.
 */
export async function startWebhookReceiver(
  t: CleanupScope,
  options: { host?: string; answer?: (request: ReceivedRequest) => WebhookAnswer } = {},
): Promise<WebhookReceiver> {
  const host = options.host ?? '127.0.0.1';
  const received: ReceivedRequest[] = [];
  const server = createServer(function receiverOnRequest(req, res) {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      received.push(request);
      const answer = options.answer?.(request) ?? { status: 200 };
      res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { url: `${origin}/hook`, origin, received };
}
