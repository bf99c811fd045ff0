import { randomBytes } from 'node:crypto';
import { CLOSE_NO_STATUS } from '@closewatch/conventions';

/** RFC 6455 §5.2 opcodes. */
export const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** Frames larger than this are not something a probe needs to keep; the reader reports a protocol error. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export interface Frame {
  fin: boolean;
  /** Set on compressed (permessage-deflate) data frames. */
  rsv1: boolean;
  opcode: number;
  masked: boolean;
  payload: Buffer;
}

/** One client frame, FIN set, masked with a fresh key as RFC 6455 requires of clients. */
export function encodeClientFrame(opcode: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
  const header = Buffer.alloc(2 + lengthBytes + 4);
  header[0] = 0x80 | opcode;
  if (lengthBytes === 0) header[1] = 0x80 | length;
  else if (lengthBytes === 2) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  mask.copy(header, 2 + lengthBytes);
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i++) masked[i] = payload[i] ^ mask[i & 3];
  return Buffer.concat([header, masked]);
}

export type FrameRead = { frame: Frame; bytesUsed: number } | { incomplete: true } | { error: string };

/** Decodes one frame from the front of `bytes`, unmasking it if the sender masked it. */
export function readFrame(bytes: Buffer): FrameRead {
  if (bytes.length < 2) return { incomplete: true };
  const first = bytes[0];
  const second = bytes[1];
  if ((first & 0x30) !== 0) return { error: 'the server set reserved bits RSV2/RSV3 that no extension negotiated' };
  let length = second & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (bytes.length < 4) return { incomplete: true };
    length = bytes.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (bytes.length < 10) return { incomplete: true };
    const long = bytes.readBigUInt64BE(2);
    if (long > BigInt(MAX_FRAME_BYTES)) return { error: `the server sent a frame of ${long} bytes, larger than the probe accepts` };
    length = Number(long);
    offset = 10;
  }
  if (length > MAX_FRAME_BYTES) return { error: `the server sent a frame of ${length} bytes, larger than the probe accepts` };
  const masked = (second & 0x80) !== 0;
  const maskOffset = offset;
  if (masked) offset += 4;
  if (bytes.length < offset + length) return { incomplete: true };
  const payload = Buffer.from(bytes.subarray(offset, offset + length));
  if (masked) for (let i = 0; i < length; i++) payload[i] ^= bytes[maskOffset + (i & 3)];
  return {
    frame: { fin: (first & 0x80) !== 0, rsv1: (first & 0x40) !== 0, opcode: first & 0x0f, masked, payload },
    bytesUsed: offset + length,
  };
}

/** Close frame payload: 2-byte code, then a UTF-8 reason. */
export function encodeClosePayload(code: number, reason = ''): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return payload;
}

/** An empty close payload means 1005 (no status received), as every WebSocket API reports it. */
export function decodeClosePayload(payload: Buffer): { code: number; reason: string } {
  if (payload.length < 2) return { code: CLOSE_NO_STATUS, reason: '' };
  return { code: payload.readUInt16BE(0), reason: payload.subarray(2).toString('utf8') };
}
