import { scrubUrl } from '@closewatch/conventions';
import { expectedAccept } from './accept-key.js';
import { roundMs, type ProbeClock } from './clock.js';
import { remaining } from './deadline.js';
import { describeNetworkError, timeoutError } from './network-words.js';
import type { ProbeOptions } from './options.js';
import { printable } from './printable.js';
import { readRejectionBody } from './rejection-body.js';
import type { StepError, UpgradeResponseSummary, UpgradeStep } from './report.js';
import { headerValue, parseResponseHead, type ResponseHead } from './response-head.js';
import type { SocketTap } from './socket-tap.js';
import { buildUpgradeRequest, redactHeaders } from './upgrade-request.js';
import { checkAcceptedUpgrade } from './upgrade-checks.js';

export function emptyUpgradeStep(protocols: string[]): UpgradeStep {
  return {
    status: 'not_reached',
    startMs: null,
    durationMs: null,
    error: null,
    request: null,
    response: null,
    acceptCheck: 'not_applicable',
    expectedAccept: null,
    requestedSubprotocols: protocols,
    subprotocol: null,
    extensions: null,
  };
}

/**
 * Sends the browser's upgrade request and reads the raw answer. On a 101 that a browser would accept
 * the step is `ok` and the bytes after the head stay in the tap for the frame reader.
 */
export async function performUpgrade(tap: SocketTap, options: ProbeOptions, key: string, deadlineMs: number, clock: ProbeClock): Promise<UpgradeStep> {
  const startMs = clock.now();
  const request = buildUpgradeRequest(options, key);
  const step: UpgradeStep = {
    ...emptyUpgradeStep(options.protocols),
    status: 'failed',
    startMs: roundMs(startMs),
    request: { requestLine: scrubRequestLine(request.requestLine, options.url), headers: redactHeaders(request.headers) },
    expectedAccept: expectedAccept(key),
  };
  tap.write(request.wire);
  const head = await readHead(tap, deadlineMs, clock);
  if ('error' in head) {
    step.error = head.error.code === 'TIMEOUT' ? timeoutError('The upgrade response', options.timeoutMs) : head.error;
    step.durationMs = roundMs(clock.now() - startMs);
    return step;
  }
  step.durationMs = roundMs(clock.now() - startMs);
  step.subprotocol = headerValue(head.headers, 'Sec-WebSocket-Protocol');
  step.extensions = headerValue(head.headers, 'Sec-WebSocket-Extensions');
  if (head.statusCode !== 101) {
    const { body, truncated } = await readRejectionBody(tap, head, deadlineMs, clock);
    step.response = summarizeResponse(head, body, truncated);
    step.error = { code: `HTTP_${head.statusCode}`, message: `the server answered ${head.statusCode} ${head.statusText} instead of 101 Switching Protocols` };
    return step;
  }
  step.response = summarizeResponse(head, Buffer.alloc(0), false);
  tap.giveBack(head.rest);
  const accept = headerValue(head.headers, 'Sec-WebSocket-Accept');
  step.acceptCheck = accept === null ? 'missing' : accept === step.expectedAccept ? 'valid' : 'invalid';
  step.error = checkAcceptedUpgrade(step, head);
  step.status = step.error ? 'failed' : 'ok';
  return step;
}

type HeadOutcome = ResponseHead | { error: StepError };

async function readHead(tap: SocketTap, deadlineMs: number, clock: ProbeClock): Promise<HeadOutcome> {
  for (;;) {
    const parsed = parseResponseHead(tap.peek());
    if (parsed.state === 'complete') {
      tap.take();
      return parsed.head;
    }
    if (parsed.state === 'invalid') return { error: { code: 'NOT_HTTP', message: parsed.reason } };
    if (tap.ended) return { error: endedBeforeAnswer(tap) };
    const left = remaining(deadlineMs, clock.now());
    if (left === 0) return { error: { code: 'TIMEOUT', message: '' } };
    await tap.changed(left);
  }
}

function endedBeforeAnswer(tap: SocketTap): StepError {
  const ended = tap.ended;
  if (ended?.kind === 'fin') return { code: 'NO_RESPONSE', message: 'the server closed the connection (FIN) without answering the upgrade request' };
  return describeNetworkError(Object.assign(new Error(ended?.message ?? 'connection failed'), { code: ended?.code ?? 'ERROR' }));
}

function summarizeResponse(head: ResponseHead, body: Buffer, truncated: boolean): UpgradeResponseSummary {
  return {
    statusLine: head.statusLine,
    httpVersion: head.httpVersion,
    statusCode: head.statusCode,
    statusText: head.statusText,
    headers: head.headers,
    bodyStart: printable(body),
    bodyBytes: body.length,
    bodyTruncated: truncated,
  };
}

/** The request line as shown: secret query values scrubbed like the URL. */
function scrubRequestLine(requestLine: string, url: URL): string {
  return requestLine.replace(`${url.pathname}${url.search}`, scrubbedTarget(url));
}

function scrubbedTarget(url: URL): string {
  return scrubUrl(`${url.pathname}${url.search}`);
}
