/** What a chunked body's first bytes decode to; `complete` once the last (zero) chunk arrived. */
export interface DechunkedBody {
  body: Buffer;
  complete: boolean;
}

/** Decodes `Transfer-Encoding: chunked` as far as the bytes go, so the report shows the body, not chunk sizes. */
export function dechunk(bytes: Buffer): DechunkedBody {
  const parts: Buffer[] = [];
  let offset = 0;
  // Bounded: every pass consumes at least one size line, or stops.
  while (offset < bytes.length) {
    const lineEnd = bytes.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(bytes.subarray(offset, lineEnd).toString('latin1').split(';')[0].trim(), 16);
    if (!Number.isFinite(size) || size < 0) break;
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    const start = lineEnd + 2;
    parts.push(bytes.subarray(start, Math.min(start + size, bytes.length)));
    offset = start + size + 2;
  }
  return { body: Buffer.concat(parts), complete: false };
}
