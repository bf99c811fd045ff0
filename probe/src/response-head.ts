import type { HeaderList } from './report.js';

/** Larger heads are not a WebSocket server's answer; stop reading rather than buffer forever. */
export const MAX_HEAD_BYTES = 64 * 1024;

export interface ResponseHead {
  statusLine: string;
  httpVersion: string;
  statusCode: number;
  statusText: string;
  headers: HeaderList;
  /** Bytes after the head: body of a rejected upgrade, or the first frames after a 101. */
  rest: Buffer;
}

export type HeadParse = { state: 'incomplete' } | { state: 'complete'; head: ResponseHead } | { state: 'invalid'; reason: string };

const STATUS_LINE = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/;

/** Parses an HTTP/1.x response head from the bytes received so far. */
export function parseResponseHead(bytes: Buffer): HeadParse {
  const end = findHeadEnd(bytes);
  if (end === null) {
    if (bytes.length >= 5 && !bytes.subarray(0, 5).equals(Buffer.from('HTTP/'))) {
      return { state: 'invalid', reason: `the server answered with something that is not HTTP: ${JSON.stringify(bytes.subarray(0, 40).toString('latin1'))}` };
    }
    if (bytes.length > MAX_HEAD_BYTES) return { state: 'invalid', reason: `the response head is larger than ${MAX_HEAD_BYTES} bytes` };
    return { state: 'incomplete' };
  }
  const lines = bytes.subarray(0, end.index).toString('latin1').split(/\r?\n/);
  const statusLine = lines[0] ?? '';
  const status = STATUS_LINE.exec(statusLine);
  if (!status) return { state: 'invalid', reason: `malformed status line ${JSON.stringify(statusLine)}` };
  const headers: HeaderList = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return {
    state: 'complete',
    head: {
      statusLine,
      httpVersion: status[1],
      statusCode: Number(status[2]),
      statusText: status[3] ?? '',
      headers,
      rest: bytes.subarray(end.index + end.length),
    },
  };
}

/** First value of a header, case-insensitively. */
export function headerValue(headers: HeaderList, name: string): string | null {
  const lower = name.toLowerCase();
  return headers.find(([key]) => key.toLowerCase() === lower)?.[1] ?? null;
}

/** Whether a comma-separated header (`Connection: keep-alive, Upgrade`) contains `token`. */
export function headerHasToken(headers: HeaderList, name: string, token: string): boolean {
  const value = headerValue(headers, name);
  return value !== null && value.split(',').some((part) => part.trim().toLowerCase() === token.toLowerCase());
}

function findHeadEnd(bytes: Buffer): { index: number; length: number } | null {
  const crlf = bytes.indexOf('\r\n\r\n');
  if (crlf >= 0) return { index: crlf, length: 4 };
  const lf = bytes.indexOf('\n\n');
  return lf >= 0 ? { index: lf, length: 2 } : null;
}
