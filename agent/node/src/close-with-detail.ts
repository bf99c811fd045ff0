import { ATTR_CLOSE_DETAIL, CLOSE_DETAIL_MESSAGE_TYPE, CLOSE_INTERNAL_ERROR, isValidWsCloseCode, truncateCloseReason } from '@closewatch/conventions';
import { recordOfWebSocket } from './connection-records.js';
import { OPEN } from './ws-internals.js';

export { CLOSE_DETAIL_MESSAGE_TYPE };

/** Sent instead of a code ws would refuse (1005, 1006, 1015, out of range): "internal error". */
const FALLBACK_CLOSE_CODE = CLOSE_INTERNAL_ERROR;

interface ClosableWebSocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/**
 * The recommended way to close: a close reason is cut at 123 bytes and browsers report most abrupt
 * ends as 1006 without one, so the full detail first goes out as an application message
 * `{ type: 'closewatch.close', code, detail }`, then the socket closes with a valid code and the
 * detail truncated as reason. The span records the full detail. Never throws.
 */
export function closeWithDetail(ws: ClosableWebSocket, code: number, detail: string): void {
  const text = String(detail ?? '');
  const closeCode = isValidWsCloseCode(code) ? code : FALLBACK_CLOSE_CODE;
  const record = recordOfWebSocket(ws as ClosableWebSocket & { _isServer?: boolean; _socket?: object | null });
  if (record && !record.ended) record.span.setAttribute(ATTR_CLOSE_DETAIL, text);
  try {
    if (ws.readyState === OPEN) ws.send(JSON.stringify({ type: CLOSE_DETAIL_MESSAGE_TYPE, code: closeCode, detail: text }));
    ws.close(closeCode, truncateCloseReason(text));
  } catch {
    // A socket that cannot take the message any more still gets closed by ws's own rules.
  }
}
