import { CLOSE_ABNORMAL, CLOSE_NO_STATUS, CLOSE_NORMAL, CLOSE_RESERVED } from './close-code-values.js';

/**
 * Which close codes an endpoint may put in `close()`. Kept apart from the close-code registry so
 * the browser agent can import it without the registry's texts.
 */

/** What a browser's `WebSocket.close(code)` accepts: 1000 or 3000–4999, anything else throws InvalidAccessError. */
export function isValidCloseCodeToSend(code: number): boolean {
  return Number.isInteger(code) && (code === CLOSE_NORMAL || (code >= 3000 && code <= 4999));
}

/** What ws's `close(code)` accepts (`isValidStatusCode` in ws lib/validation.js): 1000–1014 except 1004–1006, and 3000–4999. */
export function isValidWsCloseCode(code: number): boolean {
  return (
    Number.isInteger(code) &&
    ((code >= 1000 && code <= 1014 && code !== CLOSE_RESERVED && code !== CLOSE_NO_STATUS && code !== CLOSE_ABNORMAL) || (code >= 3000 && code <= 4999))
  );
}
