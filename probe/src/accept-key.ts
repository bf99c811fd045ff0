import { createHash, randomBytes } from 'node:crypto';

/** RFC 6455 §1.3: the GUID the server appends to the key before hashing. */
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** A fresh `Sec-WebSocket-Key`: 16 random bytes, base64. */
export function createWebSocketKey(): string {
  return randomBytes(16).toString('base64');
}

/** The `Sec-WebSocket-Accept` a real WebSocket server must answer for `key`. */
export function expectedAccept(key: string): string {
  return createHash('sha1')
    .update(key + WEBSOCKET_GUID)
    .digest('base64');
}
