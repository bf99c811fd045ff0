/**
 * Bytes a string takes as UTF-8, without encoding it: a surrogate pair counts 1 + 3 (high surrogates,
 * 0xd800–0xdbff, are the units whose top six bits are 0x36).
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes += unit < 0x80 ? 1 : unit < 0x800 ? 2 : unit >> 10 === 0x36 ? 1 : 3;
  }
  return bytes;
}
