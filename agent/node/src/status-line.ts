const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})/;

/** The status code of an HTTP/1.x response that starts with `chunk`, or 0 when it is not a status line. */
export function statusFromResponseStart(chunk: unknown): number {
  let head: string;
  if (typeof chunk === 'string') head = chunk.slice(0, 12);
  else if (chunk instanceof Uint8Array) head = Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(12, chunk.byteLength)).toString('latin1');
  else return 0;
  const match = STATUS_LINE.exec(head);
  return match ? Number(match[1]) : 0;
}
