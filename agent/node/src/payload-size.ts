/** Bytes of a message as ws hands it over or takes it: string, Buffer, ArrayBuffer, typed array, Buffer[] or Blob. */
export function payloadSize(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a primitive here (numbers, booleans are sent as their text)
  if (data === null || typeof data !== 'object') return data === undefined ? 0 : Buffer.byteLength(String(data));
  if (ArrayBuffer.isView(data) || data instanceof ArrayBuffer) return data.byteLength;
  if (Array.isArray(data)) {
    let total = 0;
    for (const fragment of data) total += payloadSize(fragment);
    return total;
  }
  const size = (data as { size?: unknown }).size;
  return typeof size === 'number' ? size : 0;
}
