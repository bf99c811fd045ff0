import { constants, inflateRawSync } from 'node:zlib';
import { preview, printable } from './printable.js';
import type { Frame } from './frame-codec.js';

const PREVIEW_CHARS = 120;
/** RFC 7692 §7.2.2: the deflate tail the sender stripped from each message; the stream never ends, hence sync flush. */
const DEFLATE_TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/** A one-line preview of the first data message (often the server's own error text before a close). */
export function previewFirstMessage(frame: Frame): string {
  if (!frame.rsv1) return describePayload(frame.opcode, frame.payload);
  try {
    return describePayload(frame.opcode, inflateRawSync(Buffer.concat([frame.payload, DEFLATE_TAIL]), { finishFlush: constants.Z_SYNC_FLUSH }));
  } catch {
    return `<compressed, ${frame.payload.length} bytes>`;
  }
}

function describePayload(opcode: number, payload: Buffer): string {
  if (opcode === 0x2) return `<binary, ${payload.length} bytes>`;
  return preview(printable(payload), PREVIEW_CHARS);
}
