/**
 * `bytes` random bytes as lowercase hex, for trace and span ids. Smaller than conventions' generator,
 * which also re-draws an all-zero id: at 2^-64 odds for a span id that never happens in a page.
 */
export function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) => (byte | 256).toString(16).slice(1)).join('');
}
