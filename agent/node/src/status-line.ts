/** Length of `HTTP/1.x NNN`. */
const STATUS_LINE_LENGTH = 12;
/** `HTTP/1.` as character codes. */
const PREFIX = [72, 84, 84, 80, 47, 49, 46];
const CHAR_0 = 48;
const CHAR_1 = 49;
const SPACE = 32;

function codeAt(chunk: string | Uint8Array, index: number): number {
  return typeof chunk === 'string' ? chunk.charCodeAt(index) : chunk[index];
}

function digitAt(chunk: string | Uint8Array, index: number): number {
  const value = codeAt(chunk, index) - CHAR_0;
  return value >= 0 && value <= 9 ? value : -1;
}

/**
 * The status code of an HTTP/1.x response that starts with `chunk`, or 0 when it is not a status line.
 * Read in place: every write answering an upgrade passes here, and slicing it into a string cost more.
 */
export function statusFromResponseStart(chunk: unknown): number {
  if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) return 0;
  if (chunk.length < STATUS_LINE_LENGTH) return 0;
  for (let index = 0; index < PREFIX.length; index++) {
    if (codeAt(chunk, index) !== PREFIX[index]) return 0;
  }
  const minor = codeAt(chunk, 7);
  if ((minor !== CHAR_0 && minor !== CHAR_1) || codeAt(chunk, 8) !== SPACE) return 0;
  const hundreds = digitAt(chunk, 9);
  const tens = digitAt(chunk, 10);
  const units = digitAt(chunk, 11);
  return hundreds < 0 || tens < 0 || units < 0 ? 0 : hundreds * 100 + tens * 10 + units;
}
