/** What WebSocket.send() accepts and MessageEvent.data carries; anything else is sent as its text. */
export type MessageData = string | ArrayBufferLike | ArrayBufferView | Blob | null | undefined;

/**
 * Bytes a message takes on the wire: the ArrayBuffer's, view's or Blob's own length, else the UTF-8
 * bytes of its text, counted without encoding it (a surrogate pair counts 1 + 3: high surrogates,
 * 0xd800–0xdbff, are the units whose top six bits are 0x36).
 */
export function messageBytes(data: MessageData): number {
  let bytes = (data as ArrayBuffer | undefined)?.byteLength ?? (data as Blob | undefined)?.size;
  if (bytes == undefined) {
    // eslint-disable-next-line @typescript-eslint/restrict-plus-operands, @typescript-eslint/no-base-to-string -- the snippet's shortest ToString; any other value is sent as its text too
    const text = '' + data;
    bytes = 0;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      bytes += unit < 0x80 ? 1 : unit < 0x800 ? 2 : unit >> 10 == 0x36 ? 1 : 3;
    }
  }
  return bytes;
}
