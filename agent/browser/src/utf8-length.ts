/** Bytes a string takes as UTF-8, without encoding it (a surrogate pair counts 1 + 3). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes += unit < 0x80 ? 1 : unit < 0x800 ? 2 : unit >= 0xd800 && unit < 0xdc00 ? 1 : 3;
  }
  return bytes;
}
