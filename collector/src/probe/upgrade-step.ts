import { scrubUrl } from '@closewatch/conventions';
import { expectedAccept } from './accept-key.js';
import { dechunk } from './chunked-body.js';
import { roundMs, type ProbeClock } from './clock.js';
import { remaining } from './deadline.js';
import { describeNetworkError, timeoutError } from './network-words.js';
import { BODY_LIMIT_BYTES, BODY_WAIT_MS, type ProbeOptions } from './options.js';
import { printable } from './printable.js';
import type { StepError, UpgradeResponseSummary, UpgradeStep } from './report.js';
import { headerHasToken, headerValue, parseResponseHead, type ResponseHead } from './response-head.js';
import type { SocketTap } from './socket-tap.js';
import { buildUpgradeRequest, redactHeaders } from './upgrade-request.js';

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
export async function performUpgrade(
  tap: SocketTap,
  options: ProbeOptions,
  key: string,
  deadlineMs: number,
  clock: ProbeClock,
): Promise<UpgradeStep> {
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
    step.response = await readRejection(tap, head, deadlineMs, clock);
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

/** The checks a browser makes on a 101 before it fires `open`, in the order it makes them. */
function checkAcceptedUpgrade(step: UpgradeStep, head: ResponseHead): StepError | null {
  if (!headerHasToken(head.headers, 'Upgrade', 'websocket')) {
    return { code: 'UPGRADE_HEADER', message: `the 101 answer lacks "Upgrade: websocket" (got ${JSON.stringify(headerValue(head.headers, 'Upgrade'))})` };
  }
  if (!headerHasToken(head.headers, 'Connection', 'upgrade')) {
    return { code: 'CONNECTION_HEADER', message: `the 101 answer lacks "Connection: Upgrade" (got ${JSON.stringify(headerValue(head.headers, 'Connection'))})` };
  }
  if (step.acceptCheck === 'missing') return { code: 'ACCEPT_MISSING', message: 'the 101 answer has no Sec-WebSocket-Accept header' };
  if (step.acceptCheck === 'invalid') {
    return { code: 'ACCEPT_MISMATCH', message: 'Sec-WebSocket-Accept does not match the key: something rewrote or cached the handshake' };
  }
  return checkSubprotocol(step) ?? checkExtensions(step.extensions);
}

function checkSubprotocol(step: UpgradeStep): StepError | null {
  const requested = step.requestedSubprotocols;
  if (step.subprotocol === null) {
    if (requested.length === 0) return null;
    return { code: 'SUBPROTOCOL_MISSING', message: `the probe asked for ${requested.join(', ')} and the server chose none; browsers fail such a connection` };
  }
  if (requested.includes(step.subprotocol)) return null;
  const asked = requested.length === 0 ? 'no subprotocol' : requested.join(', ');
  return { code: 'SUBPROTOCOL_MISMATCH', message: `the server chose subprotocol "${step.subprotocol}" but the probe asked for ${asked}` };
}

function checkExtensions(extensions: string | null): StepError | null {
  if (extensions === null) return null;
  const names = extensions.split(',').map((offer) => offer.split(';')[0].trim().toLowerCase());
  const unknown = names.find((name) => name !== 'permessage-deflate');
  return unknown === undefined ? null : { code: 'EXTENSION_NOT_OFFERED', message: `the server negotiated extension "${unknown}" that was not offered` };
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

/** Reads the start of a rejection's body: up to the limit, the end of the body or the connection, or a short wait. */
async function readRejection(tap: SocketTap, head: ResponseHead, deadlineMs: number, clock: ProbeClock): Promise<UpgradeResponseSummary> {
  const chunked = headerHasToken(head.headers, 'Transfer-Encoding', 'chunked');
  const contentLength = Number(headerValue(head.headers, 'Content-Length') ?? Number.NaN);
  const bodyDeadline = Math.min(deadlineMs, clock.now() + BODY_WAIT_MS);
  let raw = head.rest;
  let body = decodeBody(raw, chunked, contentLength);
  while (!body.complete && body.bytes.length < BODY_LIMIT_BYTES && !tap.ended) {
    const left = remaining(bodyDeadline, clock.now());
    if (left === 0) break;
    await tap.changed(left);
    raw = Buffer.concat([raw, tap.take()]);
    body = decodeBody(raw, chunked, contentLength);
  }
  const truncated = body.bytes.length > BODY_LIMIT_BYTES || (Number.isFinite(contentLength) && contentLength > BODY_LIMIT_BYTES);
  return summarizeResponse(head, body.bytes.subarray(0, BODY_LIMIT_BYTES), truncated);
}

function decodeBody(raw: Buffer, chunked: boolean, contentLength: number): { bytes: Buffer; complete: boolean } {
  if (chunked) {
    const { body, complete } = dechunk(raw);
    return { bytes: body, complete };
  }
  const complete = Number.isFinite(contentLength) && raw.length >= contentLength;
  return { bytes: complete ? raw.subarray(0, contentLength) : raw, complete };
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
