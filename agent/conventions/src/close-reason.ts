/** RFC 6455 §5.5: a control frame payload is ≤125 bytes, 2 of which carry the close code. */
export const MAX_CLOSE_REASON_BYTES = 123;

/** Bytes one code point takes in UTF-8. */
function utf8Length(cp: number): number {
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp < 0x10000) return 3;
  return 4;
}

/**
 * Shortens a close reason to at most 123 bytes of UTF-8 without splitting a code point,
 * so `close(code, reason)` never throws a SyntaxError for a long reason.
 * Returns '' for anything that is not a string.
 */
export function truncateCloseReason(reason: unknown, maxBytes: number = MAX_CLOSE_REASON_BYTES): string {
  if (typeof reason !== 'string') return '';
  let bytes = 0;
  let end = 0;
  while (end < reason.length) {
    const cp = reason.codePointAt(end) as number;
    const isPair = cp > 0xffff;
    // A lone surrogate is sent as U+FFFD, 3 bytes.
    bytes += utf8Length(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp);
    if (bytes > maxBytes) break;
    end += isPair ? 2 : 1;
  }
  return end === reason.length ? reason : reason.slice(0, end);
}
