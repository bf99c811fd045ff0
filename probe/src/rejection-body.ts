import { dechunk } from './chunked-body.js';
import type { ProbeClock } from './clock.js';
import { remaining } from './deadline.js';
import { BODY_LIMIT_BYTES, BODY_WAIT_MS } from './options.js';
import { headerHasToken, headerValue, type ResponseHead } from './response-head.js';
import type { SocketTap } from './socket-tap.js';

/** Reads the start of a rejection's body: up to the limit, the end of the body or the connection, or a short wait. */
export async function readRejectionBody(
  tap: SocketTap,
  head: ResponseHead,
  deadlineMs: number,
  clock: ProbeClock,
): Promise<{ body: Buffer; truncated: boolean }> {
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
  // Bytes that came with the connection's end are still in the tap.
  body = decodeBody(Buffer.concat([raw, tap.take()]), chunked, contentLength);
  const truncated = body.bytes.length > BODY_LIMIT_BYTES || (Number.isFinite(contentLength) && contentLength > BODY_LIMIT_BYTES);
  return { body: body.bytes.subarray(0, BODY_LIMIT_BYTES), truncated };
}

function decodeBody(raw: Buffer, chunked: boolean, contentLength: number): { bytes: Buffer; complete: boolean } {
  if (chunked) {
    const { body, complete } = dechunk(raw);
    return { bytes: body, complete };
  }
  const complete = Number.isFinite(contentLength) && raw.length >= contentLength;
  return { bytes: complete ? raw.subarray(0, contentLength) : raw, complete };
}
