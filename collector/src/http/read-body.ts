import type { Request } from 'express';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { CollectorError } from '../errors.js';

const gunzipAsync = promisify(gunzip);

function tooLarge(limitBytes: number, what: string): CollectorError {
  return new CollectorError('payload_too_large', `The request body ${what} is over the limit of ${limitBytes} bytes.`);
}

/** Reads the raw body, refusing it as soon as it passes `limitBytes` (or when Content-Length says it will). */
export function readRawBody(req: Request, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    return Promise.reject(tooLarge(limitBytes, 'as sent'));
  }
  return new Promise(function collectBody(resolve, reject) {
    const chunks: Buffer[] = [];
    let received = 0;
    function onData(chunk: Buffer) {
      received += chunk.length;
      if (received > limitBytes) {
        cleanup();
        req.resume();
        reject(tooLarge(limitBytes, 'as sent'));
        return;
      }
      chunks.push(chunk);
    }
    function onEnd() {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
    }
    function onError(error: Error) {
      cleanup();
      reject(new CollectorError('bad_request', `The request body could not be read: ${error.message}`, { cause: error }));
    }
    function onClose() {
      if (req.complete) return;
      cleanup();
      reject(new CollectorError('bad_request', 'The client went away before sending the whole body.'));
    }
    function cleanup() {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * Undoes the Content-Encoding. Inflation stops as soon as the output passes `limitBytes`, so a
 * gzip bomb is refused without being inflated whole.
 */
export async function decodeContentEncoding(body: Buffer, encoding: string | undefined, limitBytes: number): Promise<Buffer> {
  const coding = (encoding ?? 'identity').trim().toLowerCase();
  if (coding === 'identity' || coding === '') return body;
  if (coding !== 'gzip' && coding !== 'x-gzip') {
    throw new CollectorError('unsupported_media_type', `Unsupported Content-Encoding "${coding}"; use gzip or none.`);
  }
  try {
    return await gunzipAsync(body, { maxOutputLength: limitBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limitBytes, 'once decompressed');
    throw new CollectorError('invalid_otlp', `The gzip body could not be decompressed: ${(error as Error).message}`);
  }
}
