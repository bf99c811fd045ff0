/**
 * Trace and span ids as the SDK's generator draws them (`Math.random`, 32 bits at a time; an id of all
 * zeros is invalid, so its last bit is set then), kept as 32-bit words and written as hex only when
 * asked, through one shared buffer: a string per word and their concatenation cost ~9× more.
 */
const hexBytes = Buffer.allocUnsafe(16);

/** One random 32-bit word. */
export function randomWord(): number {
  return (Math.random() * 0x1_0000_0000) >>> 0;
}

/** The last word of an id whose earlier words are `others`: set to 1 when the id would be all zeros. */
export function lastWord(others: number): number {
  return randomWord() || (others ? 0 : 1);
}

/** Two words (a span id) or four (a trace id) as lower-case hex. */
export function hexOf(w0: number, w1: number, w2?: number, w3?: number): string {
  hexBytes.writeUInt32BE(w0 >>> 0, 0);
  hexBytes.writeUInt32BE(w1 >>> 0, 4);
  if (w2 === undefined) return hexBytes.toString('hex', 0, 8);
  hexBytes.writeUInt32BE(w2 >>> 0, 8);
  hexBytes.writeUInt32BE((w3 ?? 0) >>> 0, 12);
  return hexBytes.toString('hex', 0, 16);
}

export function randomTraceIdHex(): string {
  const w0 = randomWord();
  const w1 = randomWord();
  const w2 = randomWord();
  return hexOf(w0, w1, w2, lastWord(w0 | w1 | w2));
}

export function randomSpanIdHex(): string {
  const w0 = randomWord();
  return hexOf(w0, lastWord(w0));
}
